package wechat

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/progress"
	wx "github.com/dandong-hrss/hrss/integrations/wechat"
	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// CallbackPath is the account's server URL (服务器地址) in the platform's
// developer settings: WeChat checks it with a signed GET and pushes what
// followers type and tap to it as signed (and, in safe mode, encrypted)
// XML POSTs.
const CallbackPath = Prefix + "/callback"

// The keys of the menu's click buttons (deploy/wechat-menu.json); the
// callback answers each. SetMenuCommand refuses a menu with any other.
const (
	KeyProgress     = "PROGRESS"     // 办件进度: the latest application's progress
	KeyInstitutions = "INSTITUTIONS" // 缴费机构: where to pay
	KeyContact      = "CONTACT"      // 联系我们
	KeyHelp         = "HELP"         // 使用帮助
)

// intent is what a follower asked for, by typing or tapping.
type intent int

const (
	askHelp intent = iota
	askProgress
	askInstitutions
	askBinding
	askContact
)

var clickIntents = map[string]intent{KeyProgress: askProgress, KeyInstitutions: askInstitutions,
	KeyContact: askContact, KeyHelp: askHelp}

// replyBudget bounds the work behind one reply: WeChat gives up after five
// seconds and posts the push again.
const replyBudget = 3 * time.Second

// userCtxKey carries the request's context (request id, deadline) from
// Fiber to the net/http handler, whose context is the fasthttp request.
type userCtxKey struct{}

// registerCallback mounts the platform's message server on Fiber through
// the net/http adaptor, and describes it in the OpenAPI document.
func (c *Channel) registerCallback(api huma.API, app *fiber.App) {
	serve := adaptor.HTTPHandler(c.platform.MessageServer(c.answer))
	h := func(fc *fiber.Ctx) error {
		fc.Context().SetUserValue(userCtxKey{}, fc.UserContext())
		return serve(fc)
	}
	app.Get(CallbackPath, h)
	app.Post(CallbackPath, h)
	documentCallback(api)
}

// answer replies to one push. It never fails the callback — WeChat would
// show the follower "该公众号暂时无法提供服务" — but says so in words.
func (c *Channel) answer(ctx context.Context, in wx.Incoming) wx.Reply {
	if uc, ok := ctx.Value(userCtxKey{}).(context.Context); ok {
		ctx = uc
	}
	ctx, cancel := context.WithTimeout(ctx, replyBudget)
	defer cancel()
	switch in.Kind {
	case wx.KindSubscribe:
		return wx.Reply{Text: c.welcomeText()}
	case wx.KindClick:
		if ask, ok := clickIntents[in.Key]; ok {
			return wx.Reply{Text: c.reply(ctx, in.OpenID, ask)}
		}
	case wx.KindText:
		return wx.Reply{Text: c.reply(ctx, in.OpenID, textIntent(in.Text))}
	}
	return wx.Reply{}
}

// textIntent understands the keywords followers type.
func textIntent(text string) intent {
	t := strings.TrimSpace(text)
	switch {
	case strings.Contains(t, "进度"):
		return askProgress
	case strings.Contains(t, "缴费") || strings.Contains(t, "地址") || strings.Contains(t, "网点"):
		return askInstitutions
	case strings.Contains(t, "绑定"):
		return askBinding
	case strings.Contains(t, "电话") || strings.Contains(t, "人工") || strings.Contains(t, "联系"):
		return askContact
	}
	return askHelp
}

func (c *Channel) reply(ctx context.Context, openID string, ask intent) string {
	switch ask {
	case askProgress:
		return c.progressText(ctx, openID)
	case askInstitutions:
		return c.institutionsText()
	case askBinding:
		return fmt.Sprintf(`绑定本人社保身份后，可在公众号查询进度、办理业务。<a href="%s">绑定或解除绑定</a>`, c.page("/binding"))
	case askContact:
		return "丹东人社服务热线：12333（工作日 8:30-16:30）\n也可到各区县人社服务大厅咨询。"
	}
	return c.helpText()
}

func (c *Channel) welcomeText() string {
	return "欢迎关注丹东人社！\n" + c.helpText()
}

func (c *Channel) helpText() string {
	return fmt.Sprintf("回复“进度”查询最近一件申请的办理进度，回复“缴费”查看缴费机构地址。\n"+
		`办理业务请点菜单“办事”；首次使用请先<a href="%s">绑定本人社保身份</a>。`, c.page("/binding"))
}

// progressText answers "进度" with the latest application of the bound
// person, and a link to its page.
func (c *Channel) progressText(ctx context.Context, openID string) string {
	b, err := c.followers.Binding(ctx, openID)
	if domain.IsCode(err, domain.NotFound) {
		return fmt.Sprintf(`您还没有绑定社保身份，<a href="%s">点此绑定</a>后即可查询办件进度。`, c.page("/binding"))
	}
	var views []progress.View
	if err == nil {
		views, err = c.latest(ctx, b)
	}
	if err != nil {
		c.log.WarnContext(ctx, "wechat: progress reply", "err", err)
		return fmt.Sprintf(`系统繁忙，暂时无法查询，请稍后再试，或<a href="%s">打开办件进度页面</a>。`, c.page("/progress"))
	}
	if len(views) == 0 {
		return fmt.Sprintf(`您还没有在网上提交过申请。<a href="%s">去办事</a>`, c.page("/matters"))
	}
	v := views[0]
	var s strings.Builder
	fmt.Fprintf(&s, "【办件进度】\n事项：%s\n状态：%s\n", v.MatterName, v.StatusLabel)
	if v.StepName != "" {
		fmt.Fprintf(&s, "当前环节：%s\n", v.StepName)
	}
	if v.CaseNo != "" {
		fmt.Fprintf(&s, "办件编号：%s\n", v.CaseNo)
	}
	fmt.Fprintf(&s, "提交时间：%s\n", minuteCN(v.SubmittedAt))
	fmt.Fprintf(&s, `<a href="%s">查看详情</a>　<a href="%s">全部申请</a>`, c.progressPage(v.ApplicationID), c.page("/progress"))
	return s.String()
}

// latest reads the bound person's newest application, audited.
func (c *Channel) latest(ctx context.Context, b follower.Binding) ([]progress.View, error) {
	views, _, err := c.progress.ByApplicant(ctx, b.PersonRef, "", 1)
	c.record(ctx, follower.Principal{PersonRef: b.PersonRef, SubjectRef: b.PersonRef}, "wechat.progress.latest", err)
	return views, err
}

// documentCallback describes the callback, which huma does not serve, in
// the OpenAPI document.
func documentCallback(api huma.API) {
	q := func(name, doc string, required bool) *huma.Param {
		return &huma.Param{Name: name, In: "query", Required: required, Description: doc, Schema: &huma.Schema{Type: "string"}}
	}
	signed := []*huma.Param{q("signature", "sha1(排序后的 token、timestamp、nonce)", true),
		q("timestamp", "时间戳", true), q("nonce", "随机数", true)}
	text := func(doc string) *huma.Response {
		return &huma.Response{Description: doc, Content: map[string]*huma.MediaType{"text/plain": {Schema: &huma.Schema{Type: "string"}}}}
	}
	api.OpenAPI().AddOperation(&huma.Operation{OperationID: "wechat-callback-verify", Method: http.MethodGet, Path: CallbackPath,
		Summary: "消息回调：微信校验服务器地址（原样返回 echostr）", Tags: []string{"丹东人社公众号"},
		Parameters: append(signed, q("echostr", "随机字符串", true)),
		Responses:  map[string]*huma.Response{"200": text("echostr"), "403": text("签名错误")}})
	api.OpenAPI().AddOperation(&huma.Operation{OperationID: "wechat-callback-message", Method: http.MethodPost, Path: CallbackPath,
		Summary: "消息回调：接收粉丝消息与事件（明文或安全模式 AES 加密），被动回复", Tags: []string{"丹东人社公众号"},
		Parameters: append(signed, q("openid", "粉丝 openid", false), q("encrypt_type", "aes 表示安全模式", false),
			q("msg_signature", "安全模式下的消息签名", false)),
		RequestBody: &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{"text/xml": {Schema: &huma.Schema{Type: "string"}}}},
		Responses: map[string]*huma.Response{
			"200": {Description: "success 或回复 XML（安全模式下为加密信封）", Content: map[string]*huma.MediaType{"text/xml": {Schema: &huma.Schema{Type: "string"}}}},
			"400": text("消息格式错误或无法解密"), "403": text("签名错误")}})
}
