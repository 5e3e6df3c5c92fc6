package admin

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// A notice goes to review (人工核查) when the server lost track of an SMS
// it had begun to send: it may or may not have reached the citizen, and
// sending it blindly again could text them twice. Staff look the message
// up in the SMS gateway's console — by the masked number, the time and the
// template — and settle it here: delivered, or to be sent again.

// kindNames are the notice kinds' Chinese names.
var kindNames = map[notify.Kind]string{
	notify.KindProgress: "办件进度", notify.KindMaterialsNeeded: "补齐材料", notify.KindCompleted: "办结",
	notify.KindRejected: "未通过", notify.KindCertReminder: "待遇资格认证提醒", notify.KindRatingReminder: "好差评提醒",
	notify.KindTransferStatus: "转移接续进度", notify.KindPaymentReceived: "缴费到账",
}

// routeNames are the routes' Chinese names.
var routeNames = map[notify.Route]string{notify.RouteWeChat: "微信消息", notify.RouteSMS: "短信"}

// reviewItem is a notice under review.
type reviewItem struct {
	ID            int64  `json:"id" doc:"通知编号"`
	Kind          string `json:"kind"`
	KindName      string `json:"kindName"`
	Matter        string `json:"matter,omitempty" doc:"事项名称"`
	ApplicationID string `json:"applicationId,omitempty" doc:"办件编号"`
	Phone         string `json:"phone,omitempty" doc:"接收手机号（脱敏），用于在短信平台查找"`
	Channel       string `json:"channel,omitempty"`
	Route         string `json:"route,omitempty" doc:"最后尝试的发送方式"`
	RouteName     string `json:"routeName,omitempty"`
	Attempts      int    `json:"attempts" doc:"已尝试次数"`
	LastError     string `json:"lastError,omitempty"`
	MessageID     string `json:"messageId,omitempty"`
	CreatedAt     string `json:"createdAt"`
	SlotAt        string `json:"slotAt" doc:"计划发送时间"`
}

// reviewItemOf describes r, with its phone opened only to be masked.
func (a *Admin) reviewItemOf(r notify.Record) (reviewItem, error) {
	it := reviewItem{ID: r.ID, Kind: string(r.Kind), KindName: kindNames[r.Kind], Matter: r.Params.Matter,
		ApplicationID: r.Params.ApplicationID, Channel: string(r.To.Channel), Route: string(r.Route),
		RouteName: routeNames[r.Route], Attempts: r.Attempts, LastError: domain.MaskText(r.LastError),
		MessageID: r.MessageID, CreatedAt: stamp(r.CreatedAt), SlotAt: stamp(r.SlotAt)}
	phone, err := privacy.OpenPhone(a.sealer, r.To.PhoneSealed)
	if err != nil {
		return it, err
	}
	it.Phone = phone.Masked()
	return it, nil
}

type reviewsInput struct {
	Limit int `query:"limit" minimum:"1" maximum:"500" default:"100" doc:"最多条数，最早的在前"`
}

type reviewsOutput struct {
	Body struct {
		Items []reviewItem `json:"items"`
	}
}

// listReviews lists the notices under review. Each names a person's
// (masked) phone, so each is an audited read of that person's data.
func (a *Admin) listReviews(ctx context.Context, in *reviewsInput) (*reviewsOutput, error) {
	recs, err := a.notices.Reviews(ctx, in.Limit)
	if err != nil {
		return nil, err
	}
	s := staffFrom(ctx)
	out := &reviewsOutput{}
	out.Body.Items = make([]reviewItem, 0, len(recs))
	for _, r := range recs {
		it, err := a.reviewItemOf(r)
		a.record(ctx, s, "notify.review.read", err, r.To.PersonRef, map[string]string{"notice": strconv.FormatInt(r.ID, 10)})
		if err != nil {
			return nil, err
		}
		out.Body.Items = append(out.Body.Items, it)
	}
	return out, nil
}

type resolveInput struct {
	ID   int64 `path:"id" minimum:"1" doc:"通知编号"`
	Body struct {
		Delivered bool `json:"delivered" doc:"true：短信平台显示已送达，标记为已发送；false：未送达，重新发送"`
	}
}

type resolveOutput struct {
	Body struct {
		ID        int64  `json:"id"`
		State     string `json:"state" enum:"sent,pending" doc:"sent 已发送；pending 将重新发送"`
		StateName string `json:"stateName"`
	}
}

// resolve settles one notice under review.
func (a *Admin) resolve(ctx context.Context, in *resolveInput) (*resolveOutput, error) {
	delivered := in.Body.Delivered
	err := a.notices.Resolve(ctx, in.ID, delivered)
	detail := map[string]string{"notice": strconv.FormatInt(in.ID, 10), "delivered": strconv.FormatBool(delivered)}
	if err := a.change(ctx, "notify.review.resolve", err, detail); err != nil {
		return nil, err
	}
	out := &resolveOutput{}
	out.Body.ID, out.Body.State, out.Body.StateName = in.ID, string(notify.StatePending), "将重新发送"
	if delivered {
		out.Body.State, out.Body.StateName = string(notify.StateSent), "已发送"
	}
	return out, nil
}
