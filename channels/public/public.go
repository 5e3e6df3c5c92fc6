// Package public serves what anyone may read without logging in, shared by
// every channel:
//
//   - GET /verify/{serial} — the page a printed document's QR code opens
//     (扫码核验): HTML for a phone, saying 真实有效 with what was printed, or
//     未找到该文书. It is deliberately plain server-rendered HTML, so it opens
//     in any phone's scanner or browser without the app.
//   - GET /api/v1/verify/{serial} — the same as JSON, for other systems.
//   - GET /api/v1/announcements and /api/v1/announcements/{id} — the
//     announcements (公告) the kiosk, app and WeChat pages list, with weak
//     ETags so a kiosk that polls gets 304 Not Modified until something
//     changes.
//
// Rate limiting of these routes is the shared middleware's concern, not
// this package's.
package public

import (
	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"

	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/document"
)

// tag groups the public operations in the OpenAPI document.
const tag = "公共服务"

// Register adds the public routes: the JSON ones to api (so they are in the
// OpenAPI document and validated by it), the HTML verify page to app.
func Register(api huma.API, app *fiber.App, docs *document.Service, announcements *announcement.Service) {
	v := &verifier{docs: docs}
	app.Get("/verify/:serial", v.page)
	huma.Register(api, huma.Operation{
		OperationID: "public-verify-document", Method: "GET", Path: "/api/v1/verify/{serial}", Tags: []string{tag},
		Summary:     "核验打印文书",
		Description: "按文书编号查询打印记录：文书类型、打印时间、脱敏后的当事人、内容摘要（SHA-256）及文书所列事项。",
		Errors:      []int{404},
	}, v.json)

	a := &board{svc: announcements}
	huma.Register(api, huma.Operation{
		OperationID: "public-list-announcements", Method: "GET", Path: "/api/v1/announcements", Tags: []string{tag},
		Summary:     "公告列表",
		Description: "按分类分页列出公告，置顶在前、新发布在前；q 为关键词（标题或正文包含，空格分隔多个词须同时包含）。支持 If-None-Match，未变化时返回 304。",
		Errors:      []int{400},
	}, a.list)
	huma.Register(api, huma.Operation{
		OperationID: "public-get-announcement", Method: "GET", Path: "/api/v1/announcements/{id}", Tags: []string{tag},
		Summary:     "公告详情",
		Description: "返回一条已发布的公告全文，正文按段落拆分。支持 If-None-Match，未变化时返回 304。",
		Errors:      []int{404},
	}, a.get)
}
