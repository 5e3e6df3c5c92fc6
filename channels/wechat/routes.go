package wechat

import (
	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
)

// Register adds the channel's routes: its operations on api (so
// /openapi.json describes them, requests are validated and errors come
// out as problem+json), and the message callback on app, which speaks
// WeChat's XML rather than JSON.
//
//	GET    /wechat/v1/oauth/authorize        302 to WeChat's silent authorization
//	POST   /wechat/v1/sessions               code → session token
//	DELETE /wechat/v1/sessions/current       sign out
//	GET    /wechat/v1/me                     binding status
//	POST   /wechat/v1/binding/code           SMS code to the phone on record
//	POST   /wechat/v1/binding                bind by SMS code or e-card
//	DELETE /wechat/v1/binding                unbind
//	GET    /wechat/v1/relatives              亲情服务: relatives
//	POST   /wechat/v1/relatives/code         consent code to a relative's phone on record
//	POST   /wechat/v1/relatives              add a relative
//	DELETE /wechat/v1/relatives/{id}         remove a relative
//	GET    /wechat/v1/matters                matters offered on the account
//	GET    /wechat/v1/matters/{code}/form    a matter's form and checklist
//	POST   /wechat/v1/materials              upload a material file
//	POST   /wechat/v1/applications           submit (Idempotency-Key)
//	GET    /wechat/v1/applications           progress list, newest first
//	GET    /wechat/v1/applications/{id}      progress of one application
//	GET    /wechat/v1/insured                参保信息
//	GET    /wechat/v1/reimbursements         待遇报销查询
//	GET    /wechat/v1/lock-status            参保人封锁查询
//	GET    /wechat/v1/payment-institutions   缴费机构地址
//	POST   /wechat/v1/jssdk/config           wx.config signature for an H5 page
//	GET    /wechat/v1/callback               server URL check (echostr)
//	POST   /wechat/v1/callback               followers' messages and events
func (c *Channel) Register(api huma.API, app *fiber.App) {
	addSecurityScheme(api)
	c.registerSession(api)
	c.registerBinding(api)
	c.registerRelatives(api)
	c.registerApply(api)
	c.registerProgress(api)
	c.registerQueries(api)
	c.registerInstitutions(api)
	c.registerJSSDK(api)
	c.registerCallback(api, app)
}
