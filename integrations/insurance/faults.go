package insurance

import "github.com/dandong-hrss/hrss/domain"

// faultError translates a soap:Fault into the domain error a citizen can act
// on. The fault itself is kept as the cause for the log; its fault string
// is the core's operator text, not shown.
func faultError(f *Fault) *domain.Error {
	switch f.Detail.Code {
	case FaultPersonNotFound:
		return domain.Wrap(f, domain.NotFound, "未查询到该人员的参保信息")
	case FaultUnitNotFound:
		return domain.Wrap(f, domain.NotFound, "未查询到该单位的参保信息")
	case FaultNoPension:
		return domain.Wrap(f, domain.NotFound, "未查询到该人员的养老待遇信息")
	case FaultNotFlexible:
		return domain.Wrap(f, domain.Rejected, "仅灵活就业人员可以选择养老保险缴费档次")
	case FaultInvalidArgument:
		e := domain.InvalidFields(domain.FieldError{Field: f.Detail.Field, Message: fieldMessage(f.Detail.Field)})
		e.Err = f
		return e
	case FaultBusy:
		return domain.Wrap(f, domain.Unavailable, systemName+"繁忙，请稍后再试")
	}
	if f.Code == FaultCodeServer {
		return domain.Wrap(f, domain.Unavailable, systemName+"暂时无法访问，请稍后再试")
	}
	// A client fault we have no word for means our request was wrong: a
	// defect on this side, nothing the citizen can fix.
	return domain.Wrap(f, domain.Internal, systemName+"对接异常，请稍后再试或到服务大厅办理")
}

// fieldMessage says, for a request field the core refused, what to fix.
func fieldMessage(field string) string {
	switch field {
	case "year":
		return "查询年度不正确，请重新选择"
	case "percent":
		return "请从可选档次中选择缴费基数档次"
	case "page":
		return "页码不正确"
	case "size":
		return "每页条数应在1到100之间"
	}
	return "查询条件有误，请核对后重试"
}
