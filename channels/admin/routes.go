package admin

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
)

// Prefix starts the path of every back-office route.
const Prefix = "/admin/v1"

// securityScheme names the staff token in the OpenAPI document.
const securityScheme = "adminBearer"

// The OpenAPI tags of the back office's routes.
const (
	tagCatalog       = "管理后台·事项库"
	tagAnnouncements = "管理后台·公告"
	tagDevices       = "管理后台·自助终端"
	tagUnits         = "管理后台·单位开户"
	tagRatings       = "管理后台·好差评"
	tagNotices       = "管理后台·通知核查"
	tagAudit         = "管理后台·审计日志"
)

// Register adds the back office's routes to api, each behind the guard of
// the role it needs.
func (a *Admin) Register(api huma.API) {
	addSecurityScheme(api)
	r := registrar{a: a, api: api}
	huma.Register(api, r.op(RoleOperator, tagAudit, "me", http.MethodGet, "/me", "当前工作人员",
		"返回令牌对应的工作人员编号、姓名和角色。", 0), a.me)
	r.catalog()
	r.announcements()
	r.devices()
	if a.operators != nil {
		huma.Register(api, r.op(RoleAdmin, tagUnits, "open-unit-operator", http.MethodPost, "/units/{code}/operators", "为单位开通网上申报账号",
			"单位办理网上申报开户时，为其开通首个单位管理员（或经办人）账号；此后由单位管理员自行增减经办人。同名经办人已有账号时不重复开户，答 200。", http.StatusCreated), a.openOperator)
	}
	r.ratings()
	r.notices()
	huma.Register(api, r.op(RoleAdmin, tagAudit, "audit-search", http.MethodPost, "/audit/search", "查询审计日志",
		"按身份证号码或统一社会信用代码查询涉及该个人或单位的审计记录（最新在前）。号码只用于计算索引，不保存、不显示；本次查询本身也记入审计日志。", 0), a.searchAudit)
}

func (r registrar) catalog() {
	huma.Register(r.api, r.op(RoleAdmin, tagCatalog, "list-matters", http.MethodGet, "/matters", "事项列表",
		"按渠道、申请人类型、领域、高频与关键词筛选事项库。带 ETag，内容未变时对 If-None-Match 答 304。", 0), r.a.listMatters)
	huma.Register(r.api, r.op(RoleAdmin, tagCatalog, "get-matter", http.MethodGet, "/matters/{code}", "事项定义",
		"返回事项的完整定义（与 catalog.json 同一格式），ETag 为其版本，修改时放入 If-Match。", 0), r.a.getMatter)
	huma.Register(r.api, r.op(RoleAdmin, tagCatalog, "put-matter", http.MethodPut, "/matters/{code}", "新增或修改事项",
		"无需发版即可扩展维护事项库（多情形、套餐式）。修改须给出所依据的版本（If-Match 或 version），已被他人修改时答 409；新增不给版本，答 201。"+
			"定义整体校验，错误逐项指出位置。修改立即在本服务器生效，其他服务器30秒内生效。", 0), r.a.putMatter)
	huma.Register(r.api, r.op(RoleAdmin, tagCatalog, "list-bundles", http.MethodGet, "/bundles", "一件事列表", "", 0), r.a.listBundles)
	huma.Register(r.api, r.op(RoleAdmin, tagCatalog, "get-bundle", http.MethodGet, "/bundles/{code}", "一件事定义", "", 0), r.a.getBundle)
	huma.Register(r.api, r.op(RoleAdmin, tagCatalog, "put-bundle", http.MethodPut, "/bundles/{code}", "新增或修改一件事",
		"一件事由所打包的事项定义，表单、材料、渠道和时限由各事项合并而来。版本规则同事项。", 0), r.a.putBundle)
}

func (r registrar) announcements() {
	huma.Register(r.api, r.op(RoleAdmin, tagAnnouncements, "list-announcements", http.MethodGet, "/announcements", "公告列表（含已撤下）", "", 0), r.a.listAnnouncements)
	huma.Register(r.api, r.op(RoleAdmin, tagAnnouncements, "get-announcement", http.MethodGet, "/announcements/{id}", "公告详情（含已撤下）", "", 0), r.a.getAnnouncement)
	huma.Register(r.api, r.op(RoleAdmin, tagAnnouncements, "create-announcement", http.MethodPost, "/announcements", "发布新公告",
		"新公告立即发布；如需暂不公开，发布后撤下。", http.StatusCreated), r.a.createAnnouncement)
	huma.Register(r.api, r.op(RoleAdmin, tagAnnouncements, "update-announcement", http.MethodPut, "/announcements/{id}", "修改公告",
		"须给出所依据的版本（If-Match 或 version），已被他人修改时答 409。", 0), r.a.updateAnnouncement)
	huma.Register(r.api, r.op(RoleAdmin, tagAnnouncements, "publish-announcement", http.MethodPost, "/announcements/{id}/publish", "重新发布公告", "", 0), r.a.setPublished(true))
	huma.Register(r.api, r.op(RoleAdmin, tagAnnouncements, "unpublish-announcement", http.MethodPost, "/announcements/{id}/unpublish", "撤下公告",
		"撤下后群众在各渠道均看不到该公告，可再次发布。", 0), r.a.setPublished(false))
}

func (r registrar) devices() {
	huma.Register(r.api, r.op(RoleAdmin, tagDevices, "list-devices", http.MethodGet, "/devices", "自助终端列表", "", 0), r.a.listDevices)
	huma.Register(r.api, r.op(RoleAdmin, tagDevices, "register-device", http.MethodPost, "/devices", "登记自助终端",
		"登记后立即可用。答复中的设备密钥只返回这一次，请立即配置到终端。", http.StatusCreated), r.a.registerDevice)
	huma.Register(r.api, r.op(RoleAdmin, tagDevices, "disable-device", http.MethodPost, "/devices/{id}/disable", "停用自助终端",
		"所有服务器立即拒绝该终端的请求。答 503 时已保存但未及通知，请再操作一次。", 0), r.a.setDeviceStatus(true))
	huma.Register(r.api, r.op(RoleAdmin, tagDevices, "enable-device", http.MethodPost, "/devices/{id}/enable", "启用自助终端", "", 0), r.a.setDeviceStatus(false))
}

func (r registrar) ratings() {
	huma.Register(r.api, r.op(RoleOperator, tagRatings, "list-rectifications", http.MethodGet, "/rectifications", "差评整改列表",
		"按科室列出未办结、超期未办结或全部整改，期限最早的在前。", 0), r.a.listRectifications)
	huma.Register(r.api, r.op(RoleOperator, tagRatings, "get-rectification", http.MethodGet, "/rectifications/{id}", "差评整改详情",
		"含每一步的办理人员、时间和说明。", 0), r.a.getRectification)
	huma.Register(r.api, r.op(RoleOperator, tagRatings, "rectify", http.MethodPost, "/rectifications/{id}/steps", "办理差评整改",
		"回访 → 核实 → 整改或解释说明 → 办结；办结前可申诉一次，复核维持或认定差评不实。办理人员取自令牌。不符合当前状态时答 409。", 0), r.a.rectify)
	huma.Register(r.api, r.op(RoleOperator, tagRatings, "rating-stats", http.MethodGet, "/ratings/stats", "好差评统计",
		"按事项、渠道、科室、人员或日期统计一段日期内各等级评价数、满意率和差评率；经复核差评不实的另计。", 0), r.a.stats)
}

func (r registrar) notices() {
	huma.Register(r.api, r.op(RoleOperator, tagNotices, "list-notice-reviews", http.MethodGet, "/notices/reviews", "待核查通知",
		"发送过程中失去联系、可能已送达的短信。请在短信平台按脱敏手机号和时间核对后处理。", 0), r.a.listReviews)
	huma.Register(r.api, r.op(RoleOperator, tagNotices, "resolve-notice", http.MethodPost, "/notices/{id}/resolve", "处理待核查通知",
		"已送达则标记为已发送；未送达则重新发送。", 0), r.a.resolve)
}

// registrar builds the operations of one API.
type registrar struct {
	a   *Admin
	api huma.API
}

// op describes a /admin/v1 route that needs role need; status 0 means 200.
func (r registrar) op(need Role, tag, id, method, path, summary, description string, status int) huma.Operation {
	if need == RoleAdmin {
		description += "（需系统管理员角色）"
	}
	return huma.Operation{OperationID: "admin-" + id, Method: method, Path: Prefix + path, Summary: summary,
		Description: description, Tags: []string{tag}, DefaultStatus: status,
		Security:    []map[string][]string{{securityScheme: {}}},
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden},
		Middlewares: r.a.guard(r.api, need, "admin-"+id)}
}

// addSecurityScheme describes the staff token in the OpenAPI document.
func addSecurityScheme(api huma.API) {
	comps := api.OpenAPI().Components
	if comps.SecuritySchemes == nil {
		comps.SecuritySchemes = map[string]*huma.SecurityScheme{}
	}
	comps.SecuritySchemes[securityScheme] = &huma.SecurityScheme{Type: "http", Scheme: "bearer",
		Description: "工作人员令牌（HRSS_ADMIN_TOKENS 中配置），放在 Authorization: Bearer 之后。"}
}

type meOutput struct {
	Body struct {
		ID       string `json:"id" doc:"工作人员编号"`
		Name     string `json:"name"`
		Role     string `json:"role" enum:"admin,operator"`
		RoleName string `json:"roleName"`
	}
}

// me tells the back office's pages who is signed in, so they show only
// what the role may do.
func (a *Admin) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	s := staffFrom(ctx)
	out := &meOutput{}
	out.Body.ID, out.Body.Name, out.Body.Role, out.Body.RoleName = s.ID, s.Name, string(s.Role), s.Role.Label()
	return out, nil
}
