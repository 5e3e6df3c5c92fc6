// Package transfer is the transfer of a person's social-insurance relation
// (社会保险关系转移接续) across pooling areas, as the provincial transfer
// platform (辽宁省社会保险关系转移管理信息系统, 省转移平台) handles it: a
// citizen moving to or from Dandong, or a unit filing for a member of staff,
// asks for the relation — and the fund behind it — to move from the insured
// region they leave to the one they join.
//
// The bureau does not decide a transfer; it files it with the platform and
// then follows its progress through the platform's steps (受理中 → 转出地审核 →
// 转入地接收 → 基金划转 → 办结, or 退回 with a reason), which the channels show
// on progress pages and the SMS platform texts to the citizen. Platform is
// the port; integrations/province implements it.
package transfer

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// Platform is the port to the provincial transfer platform. Every method may
// also return Unavailable when the platform is down or its circuit breaker is
// open, Timeout when it does not answer in time, and Internal when it answers
// something that cannot be understood; those are not repeated below.
type Platform interface {
	// Submit files a transfer and returns it as accepted, with the
	// platform's transfer number (转移编号). The platform de-duplicates on
	// Request.RequestID: submitting the same request again returns the same
	// transfer, so a caller that lost the answer may simply repeat it.
	// Invalid when the request is malformed (see Request.Validate);
	// Conflict when the request id was used for a different request, or the
	// person already has an open transfer of this insurance in this
	// direction; Rejected when the platform refuses it on a business rule.
	Submit(ctx context.Context, r Request) (Transfer, error)

	// Transfer returns the transfer with this number as it stands now, with
	// every step it has gone through. NotFound for an unknown number.
	Transfer(ctx context.Context, number string) (Transfer, error)
}

// Direction says whether the relation leaves Dandong or comes to it.
type Direction string

// The directions.
const (
	Out Direction = "out" // 转出: from a Dandong region to one elsewhere
	In  Direction = "in"  // 转入: from elsewhere to a Dandong region
)

// Label returns the Chinese term shown to citizens.
func (d Direction) Label() string {
	switch d {
	case Out:
		return "转出"
	case In:
		return "转入"
	}
	return "未知"
}

// Insurance is the insurance whose relation moves. The pension is by far the
// most common: a worker's years of contributions must follow them.
type Insurance string

// The insurances the platform transfers.
const (
	EnterprisePension Insurance = "enterprise_pension" // 企业职工基本养老保险
	PublicPension     Insurance = "public_pension"     // 机关事业单位基本养老保险
	Unemployment      Insurance = "unemployment"       // 失业保险
)

var insuranceLabels = map[Insurance]string{
	EnterprisePension: "企业职工基本养老保险",
	PublicPension:     "机关事业单位基本养老保险",
	Unemployment:      "失业保险",
}

// Label returns the Chinese name shown to citizens; "未知险种" for an
// unknown value.
func (i Insurance) Label() string {
	if l, ok := insuranceLabels[i]; ok {
		return l
	}
	return "未知险种"
}

// Region is an insured region (参保地): the pooling area that holds the
// relation, named by its six-digit administrative division code (行政区划代码,
// 210600 for Dandong) and its Chinese name.
type Region struct {
	Code string
	Name string
}

// Request is a transfer as the bureau files it.
type Request struct {
	// RequestID is the bureau's own id for this filing, unique per filing
	// and reused only to repeat it; the platform de-duplicates on it.
	RequestID string
	Direction Direction
	Person    domain.IDNumber
	From, To  Region
	Insurance Insurance
	// Unit is the employer filing for its staff (企业网上申报 人员转出/转入);
	// empty when the citizen files for themselves.
	Unit domain.CreditCode
}

// maxRequestID bounds RequestID: platforms store it in a fixed-width column.
const maxRequestID = 64

// Validate reports every field the platform would refuse, as one Invalid
// error naming each field, so a form can show them all at once.
func (r Request) Validate() error {
	var fields []domain.FieldError
	add := func(field, msg string) { fields = append(fields, domain.FieldError{Field: field, Message: msg}) }
	if r.RequestID == "" || len(r.RequestID) > maxRequestID {
		add("requestId", "申请流水号缺失或过长")
	}
	if r.Direction != Out && r.Direction != In {
		add("direction", "请选择转出或转入")
	}
	if r.Person == "" {
		add("idNumber", "请输入身份证号码")
	}
	if _, ok := insuranceLabels[r.Insurance]; !ok {
		add("insurance", "请选择要转移的险种")
	}
	checkRegion(r.From, "from", add)
	checkRegion(r.To, "to", add)
	if r.From.Code != "" && r.From.Code == r.To.Code {
		add("to", "转入地不能与转出地相同")
	}
	if len(fields) > 0 {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// checkRegion checks one region of a request, reporting under field.
func checkRegion(g Region, field string, add func(field, msg string)) {
	if !IsRegionCode(g.Code) {
		add(field+".code", "参保地行政区划代码应为6位数字")
	}
	if n := utf8.RuneCountInString(g.Name); n == 0 || n > 50 {
		add(field+".name", "请填写参保地名称")
	}
}

// IsRegionCode reports whether s is six digits not starting with 0, the
// shape of an administrative division code.
func IsRegionCode(s string) bool {
	if len(s) != 6 || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Status is where a transfer stands on the platform.
type Status string

// The statuses, in the order a transfer normally passes through them. A
// transfer ends Completed or Returned.
const (
	Accepted     Status = "accepted"      // 受理中: filed, not yet looked at
	OutReview    Status = "out_review"    // 转出地审核: the region left checks the record
	InReceive    Status = "in_receive"    // 转入地接收: the region joined accepts the relation
	FundTransfer Status = "fund_transfer" // 基金划转: the fund moves between regions
	Completed    Status = "completed"     // 办结: the relation has moved
	Returned     Status = "returned"      // 退回: refused; Transfer.Reason says why
)

var statusLabels = map[Status]string{
	Accepted:     "受理中",
	OutReview:    "转出地审核",
	InReceive:    "转入地接收",
	FundTransfer: "基金划转",
	Completed:    "办结",
	Returned:     "退回",
}

// Label returns the Chinese term shown on progress pages; "未知状态" for an
// unknown value.
func (s Status) Label() string {
	if l, ok := statusLabels[s]; ok {
		return l
	}
	return "未知状态"
}

// Final reports whether the transfer can no longer change.
func (s Status) Final() bool { return s == Completed || s == Returned }

// Step is one status a transfer reached, and when.
type Step struct {
	Status Status
	At     time.Time
}

// Transfer is a filed transfer as the platform reports it.
type Transfer struct {
	Number    string // 转移编号, the platform's key
	RequestID string
	Direction Direction
	Person    domain.IDNumber
	From, To  Region
	Insurance Insurance
	Unit      domain.CreditCode // empty when filed by the citizen
	Status    Status
	Reason    string // why the platform returned it; empty unless Returned
	Steps     []Step // every status reached, oldest first; the last is Status
	Submitted time.Time
}
