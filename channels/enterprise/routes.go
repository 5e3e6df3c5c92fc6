package enterprise

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

// securityScheme names the bearer session in the OpenAPI document.
const securityScheme = "entSession"

// Register adds every route of the channel to api, each with a Chinese
// summary, under the tag 企业网上申报.
func (ch *Channel) Register(api huma.API) {
	if oa := api.OpenAPI(); oa.Components != nil {
		if oa.Components.SecuritySchemes == nil {
			oa.Components.SecuritySchemes = map[string]*huma.SecurityScheme{}
		}
		oa.Components.SecuritySchemes[securityScheme] = &huma.SecurityScheme{Type: "http", Scheme: "bearer",
			Description: "单位经办人登录令牌"}
	}
	ch.registerAccounts(api)
	ch.registerUnit(api)
	ch.registerApplications(api)
	ch.registerBatches(api)
	ch.registerBusiness(api)
}

// op describes one operation; signedIn marks the bearer requirement.
func op(id, method, path, summary string, status int, signedIn bool) huma.Operation {
	o := huma.Operation{OperationID: "ent-" + id, Method: method, Path: Prefix + path, Summary: summary,
		Tags: []string{"企业网上申报"}, DefaultStatus: status}
	if signedIn {
		o.Security = []map[string][]string{{securityScheme: {}}}
	}
	return o
}

func (ch *Channel) registerAccounts(api huma.API) {
	huma.Register(api, op("login", http.MethodPost, "/sessions", "单位经办人登录（新设备需短信验证码）", 200, false), ch.login)
	huma.Register(api, op("login-sms", http.MethodPost, "/sessions/sms", "提交短信验证码完成新设备登录", 200, false), ch.verify)
	huma.Register(api, op("logout", http.MethodDelete, "/sessions/current", "退出登录", 204, true), ch.logout)
	huma.Register(api, op("me", http.MethodGet, "/me", "当前经办人及所属单位", 200, true), ch.me)
	huma.Register(api, op("password", http.MethodPut, "/me/password", "修改本人登录密码", 204, true), ch.changePassword)
	huma.Register(api, op("operators", http.MethodGet, "/units/{code}/operators", "经办人账号列表（单位管理员）", 200, true), ch.listOperators)
	huma.Register(api, op("operator-add", http.MethodPost, "/units/{code}/operators", "新增经办人账号（单位管理员）", 201, true), ch.addOperator)
	huma.Register(api, op("operator-change", http.MethodPatch, "/units/{code}/operators/{id}", "停用、启用、解锁经办人或重置密码（单位管理员）", 200, true), ch.changeOperator)
}

func (ch *Channel) registerUnit(api huma.API) {
	huma.Register(api, op("unit", http.MethodGet, "/units/{code}", "单位基本信息", 200, true), ch.unitInfo)
	huma.Register(api, op("staff", http.MethodGet, "/units/{code}/staff", "单位参保人员名册", 200, true), ch.staffPage)
	huma.Register(api, op("staff-member", http.MethodGet, "/units/{code}/staff/{idNumber}", "本单位参保职工信息", 200, true), ch.staffMember)
	huma.Register(api, op("assessments", http.MethodGet, "/units/{code}/assessments", "单位核定及缴费情况", 200, true), ch.assessments)
	huma.Register(api, op("notice", http.MethodGet, "/units/{code}/staff/{idNumber}/employment-notice", "就业登记告知书内容", 200, true), ch.noticeData)
	if ch.cfg.Printer != nil {
		huma.Register(api, op("notice-pdf", http.MethodGet, "/units/{code}/staff/{idNumber}/employment-notice.pdf", "打印就业登记告知书（PDF）", 200, true), ch.noticePDF)
	}
	huma.Register(api, op("matters", http.MethodGet, "/matters", "企业网上申报可办理的事项", 200, false), ch.matters)
}

func (ch *Channel) registerApplications(api huma.API) {
	huma.Register(api, op("submit", http.MethodPost, "/units/{code}/applications", "提交申请（单位信息变更、分户、合并、破产、注销等各类单位事项）", 201, true), ch.submit)
	huma.Register(api, op("applications", http.MethodGet, "/units/{code}/applications", "本单位全部申请及办理进度", 200, true), ch.applications)
	huma.Register(api, op("application", http.MethodGet, "/units/{code}/applications/{id}", "申请办理进度详情", 200, true), ch.application)
	huma.Register(api, op("withdraw", http.MethodPost, "/units/{code}/applications/{id}/withdraw", "撤回申请", 200, true), ch.withdraw)
	huma.Register(api, op("supply", http.MethodPost, "/units/{code}/applications/{id}/materials", "补齐材料", 200, true), ch.supply)
	huma.Register(api, op("material", http.MethodPost, "/units/{code}/materials", "上传申请材料（PDF、JPG、PNG）", 201, true), ch.uploadMaterial)
	huma.Register(api, op("draft-save", http.MethodPut, "/units/{code}/drafts/{matter}", "保存草稿", 200, true), ch.saveDraft)
	huma.Register(api, op("draft", http.MethodGet, "/units/{code}/drafts/{matter}", "读取草稿", 200, true), ch.draft)
	huma.Register(api, op("draft-delete", http.MethodDelete, "/units/{code}/drafts/{matter}", "删除草稿", 204, true), ch.deleteDraft)
	if ch.cfg.Ratings != nil {
		huma.Register(api, op("rate", http.MethodPost, "/units/{code}/applications/{id}/rating", "评价办理服务（好差评）", 201, true), ch.rate)
	}
}

func (ch *Channel) registerBatches(api huma.API) {
	huma.Register(api, op("batch-add", http.MethodPost, "/units/{code}/batches/staff-additions", "批量增员（CSV 或 XLSX 文件，逐行校验，全部正确才办理）", 201, true), ch.uploadBatch(account.StaffAddBatch))
	huma.Register(api, op("batch-remove", http.MethodPost, "/units/{code}/batches/staff-removals", "批量减员（CSV 或 XLSX 文件，逐行校验，全部正确才办理）", 201, true), ch.uploadBatch(account.StaffRemoveBatch))
	huma.Register(api, op("batch-base", http.MethodPost, "/units/{code}/batches/base-declarations", "年度缴费基数申报（CSV 或 XLSX 文件）", 201, true), ch.uploadBatch(account.BaseBatch))
	huma.Register(api, op("batches", http.MethodGet, "/units/{code}/batches", "批量业务记录", 200, true), ch.batches)
	huma.Register(api, op("batch", http.MethodGet, "/units/{code}/batches/{id}", "批量业务详情", 200, true), ch.batch)
	huma.Register(api, op("batch-template", http.MethodGet, "/batch-templates/{kind}", "下载批量导入模板（CSV）", 200, false), ch.template)
}

func (ch *Channel) registerBusiness(api huma.API) {
	huma.Register(api, op("monthly", http.MethodPost, "/units/{code}/monthly-declarations", "月申报核定（含本月工资调整）", 201, true), ch.declareMonthly(monthlyMatter))
	huma.Register(api, op("monthly-list", http.MethodGet, "/units/{code}/monthly-declarations", "月申报核定记录及缴费情况", 200, true), ch.declarations(monthlyMatter))
	huma.Register(api, op("monthly-preview", http.MethodGet, "/units/{code}/monthly-declarations/{month}/preview", "月申报核定预填：名册人数与本月人员变动", 200, true), ch.preview)
	huma.Register(api, op("institution", http.MethodPost, "/units/{code}/institution-declarations", "机关事业单位养老保险缴费申报", 201, true), ch.declareMonthly(institutionMatter))
	huma.Register(api, op("institution-list", http.MethodGet, "/units/{code}/institution-declarations", "机关事业单位申报进度及缴费情况", 200, true), ch.declarations(institutionMatter))
	huma.Register(api, op("transfer", http.MethodPost, "/units/{code}/transfers", "职工养老保险关系统筹区外转出、转入", 201, true), ch.fileTransfer)
	huma.Register(api, op("transfers", http.MethodGet, "/units/{code}/transfers", "转移申请列表", 200, true), ch.transfers)
	huma.Register(api, op("transfer-status", http.MethodGet, "/units/{code}/transfers/{id}", "转移状态及结果查询", 200, true), ch.transferStatus)
	huma.Register(api, op("claim", http.MethodPost, "/units/{code}/unemployment-claims", "失业保险金申领登记（单位代报）", 201, true), ch.fileClaim)
	huma.Register(api, op("claims", http.MethodGet, "/units/{code}/unemployment-claims", "失业保险金申领及办理进度", 200, true), ch.claims)
	huma.Register(api, op("claim-change", http.MethodPut, "/units/{code}/unemployment-claims/{id}", "修改失业保险金申领登记（审核前）", 201, true), ch.changeClaim)
	huma.Register(api, op("claim-delete", http.MethodDelete, "/units/{code}/unemployment-claims/{id}", "删除失业保险金申领登记（审核前）", 200, true), ch.deleteClaim)
	huma.Register(api, op("certificate", http.MethodPost, "/units/{code}/employment-certificates", "就业创业证申领（单位代办）", 201, true), ch.applyCertificate)
	huma.Register(api, op("certificates", http.MethodGet, "/units/{code}/employment-certificates", "就业创业证申领进度", 200, true), ch.certificates)
	huma.Register(api, op("certificate-case", http.MethodGet, "/units/{code}/employment-certificates/{caseNo}", "就失业证查询（按办件编号）", 200, true), ch.certificate)
}

type entMattersOut struct {
	Body struct {
		Matters []entMatterOut `json:"matters"`
	}
}

type entMatterOut struct {
	Code       string            `json:"code"`
	Name       string            `json:"name"`
	Applicant  string            `json:"applicant" enum:"unit,person" doc:"person 为单位代职工办理的个人事项"`
	Situations []entSituationOut `json:"situations,omitempty" doc:"办理情形"`
}

type entSituationOut struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// matters lists what units can file here, with their situations (情形):
// the forms themselves are the catalog's.
func (ch *Channel) matters(context.Context, *struct{}) (*entMattersOut, error) {
	out := &entMattersOut{}
	for _, sum := range ch.cfg.Catalog.List(catalog.Filter{Channel: domain.Enterprise}) {
		m, err := ch.cfg.Catalog.Matter(sum.Code)
		if err != nil {
			continue
		}
		o := entMatterOut{Code: m.Code, Name: m.Name, Applicant: string(m.Applicant)}
		for _, s := range m.Situations {
			o.Situations = append(o.Situations, entSituationOut{Code: s.Code, Name: s.Name})
		}
		out.Body.Matters = append(out.Body.Matters, o)
	}
	return out, nil
}
