package kiosk

import (
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// The OpenAPI security schemes of the channel.
const (
	schemeSignature = "kioskSignature"
	schemeSession   = "kioskSession"
)

// Register adds the channel's routes to api, each behind the guard its
// access needs (Middlewares).
func (c *Channel) Register(api huma.API) {
	addSecuritySchemes(api)
	r := registrar{c: c, api: api}
	huma.Register(api, r.op(DeviceOnly, "open-person-session", http.MethodPost, "/sessions/person", "开始个人查询（读取身份证或社保卡）",
		"核验读卡器读出的身份证号和姓名，为本终端开启个人读卡会话；本终端原有会话随之结束。", http.StatusCreated), c.openPerson)
	huma.Register(api, r.op(DeviceOnly, "open-unit-session", http.MethodPost, "/sessions/unit", "开始单位查询（单位经办人）",
		"输入统一社会信用代码并插入经办人本人卡片，经办人须为该单位在职参保人员。", http.StatusCreated), c.openUnit)
	huma.Register(api, r.op(AnySession, "current-session", http.MethodGet, "/session", "当前读卡会话", "", 0), c.current)
	huma.Register(api, r.op(AnySession, "close-session", http.MethodDelete, "/session", "结束查询（取卡或退出）", "", http.StatusNoContent), c.closeSession)

	huma.Register(api, r.op(PersonAccess, "overview", http.MethodGet, "/person/overview", "参保信息查询", "", 0),
		read(c, "insured.overview.read", c.overview))
	huma.Register(api, r.op(PersonAccess, "contributions", http.MethodGet, "/person/contributions", "缴费明细查询",
		"按年度、险种查询个人缴费记录；养老缴费、工伤缴费、失业缴费即选对应险种。", 0),
		read(c, "insured.contributions.read", c.contributions))
	huma.Register(api, r.op(PersonAccess, "pension-account", http.MethodGet, "/pension/account", "养老保险个人账户（个人对账单）", "", 0),
		read(c, "insured.pension_account.read", c.pensionAccount))
	huma.Register(api, r.op(PersonAccess, "pension-benefit", http.MethodGet, "/pension/benefit", "养老待遇查询", "", 0),
		read(c, "insured.pension_benefit.read", c.pensionBenefit))
	huma.Register(api, r.op(PersonAccess, "pension-payments", http.MethodGet, "/pension/payments", "养老金发放记录", "", 0),
		read(c, "insured.pension_payments.read", c.pensionPayments))
	huma.Register(api, r.op(PersonAccess, "work-injury-records", http.MethodGet, "/work-injury/records", "工伤认定与待遇核定", "", 0),
		read(c, "insured.work_injury.read", c.workInjuries))
	huma.Register(api, r.op(PersonAccess, "work-injury-payments", http.MethodGet, "/work-injury/payments", "工伤待遇发放记录", "", 0),
		read(c, "insured.work_injury_payments.read", c.workInjuryPayments))
	huma.Register(api, r.op(PersonAccess, "unemployment-claims", http.MethodGet, "/unemployment/claims", "失业保险待遇核定", "", 0),
		read(c, "insured.unemployment.read", c.unemployment))
	huma.Register(api, r.op(PersonAccess, "unemployment-payments", http.MethodGet, "/unemployment/payments", "失业保险金发放记录", "", 0),
		read(c, "insured.unemployment_payments.read", c.unemploymentPayments))

	huma.Register(api, r.op(UnitAccess, "unit", http.MethodGet, "/unit", "单位参保信息查询", "", 0),
		read(c, "unit.info.read", c.unit))
	huma.Register(api, r.op(UnitAccess, "unit-rates", http.MethodGet, "/unit/rates", "单位缴费比例（险种信息）", "", 0),
		read(c, "unit.rates.read", c.unitRates))
	huma.Register(api, r.op(UnitAccess, "unit-wages", http.MethodGet, "/unit/wages", "单位参保人员及工资申报", "", 0),
		read(c, "unit.staff.read", c.unitStaff))
	huma.Register(api, r.op(UnitAccess, "unit-assessments", http.MethodGet, "/unit/assessments", "单位核定信息查询", "", 0),
		read(c, "unit.assessments.read", c.unitAssessments))
	huma.Register(api, r.op(UnitAccess, "unit-payments", http.MethodGet, "/unit/payments", "单位缴费记录查询", "", 0),
		read(c, "unit.payments.read", c.unitPayments))

	r.registerPrints()
	r.registerServices()
}

// registrar builds the operations of one API.
type registrar struct {
	c   *Channel
	api huma.API
}

// op describes a /kiosk/v1 route of access a; status 0 means 200.
func (r registrar) op(a Access, id, method, path, summary, description string, status int) huma.Operation {
	security := []map[string][]string{{schemeSignature: {}}}
	if a != DeviceOnly {
		security = []map[string][]string{{schemeSignature: {}, schemeSession: {}}}
	}
	return huma.Operation{OperationID: "kiosk-" + id, Method: method, Path: "/kiosk/v1" + path, Summary: summary,
		Description: description, Tags: []string{"自助查询一体机"}, Security: security, DefaultStatus: status,
		Middlewares: r.c.Middlewares(r.api, a)}
}

// addSecuritySchemes describes the kiosk's headers in the OpenAPI document.
func addSecuritySchemes(api huma.API) {
	comps := api.OpenAPI().Components
	if comps.SecuritySchemes == nil {
		comps.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	comps.SecuritySchemes[schemeSignature] = &huma.SecurityScheme{Type: "apiKey", In: "header", Name: HeaderSignature,
		Description: "设备签名：" + HeaderDevice + "、" + HeaderTimestamp + "（Unix 毫秒）、" + HeaderNonce + " 与本头一起发送；" +
			"签名为以设备密钥计算的 HMAC-SHA256（十六进制），原文为 方法\\n请求路径（含查询串）\\n时间戳\\n随机数\\n请求体SHA-256（十六进制）。" +
			"时间与服务器相差不得超过5分钟，随机数不得重复使用。"}
	comps.SecuritySchemes[schemeSession] = &huma.SecurityScheme{Type: "apiKey", In: "header", Name: HeaderSession,
		Description: "读卡会话令牌，开始查询时获得；无操作2分钟或开始后10分钟自动结束。"}
}
