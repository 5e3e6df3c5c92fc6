package app

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/ecard"
)

// qrPrefix starts every e-card QR payload the app shows, with its format
// version: "DDHRSS:EC1:<expiry, Unix seconds>:<platform token>". The
// expiry lets a terminal's scan of a stale code be refused without asking
// the platform; the token is the platform's, answered once.
const qrPrefix = "DDHRSS:EC1:"

// CardView is a signed e-card.
type CardView struct {
	CardID   string    `json:"cardId" doc:"电子社保卡号"`
	SignedAt time.Time `json:"signedAt"`
}

type issueInput struct {
	Signed
	Body struct {
		Name string `json:"name" minLength:"1" maxLength:"30" doc:"本人姓名，须与实名认证一致"`
	}
}

type cardOutput struct{ Body CardView }

// QRView is the card's dynamic QR code: the payload as text and as a PNG.
type QRView struct {
	Payload   string    `json:"payload" doc:"二维码内容，60秒内有效，只能使用一次"`
	Image     []byte    `json:"image" doc:"二维码图片（PNG，base64）"`
	ExpiresAt time.Time `json:"expiresAt"`
	RefreshIn int       `json:"refreshIn" doc:"多少秒后刷新二维码"`
}

type qrOutput struct{ Body QRView }

type verifyInput struct {
	TerminalKey string `header:"X-Terminal-Key" required:"true" doc:"柜台或合作终端的授权：<终端编号>:<密钥>"`
	Body        struct {
		Payload string `json:"payload" minLength:"1" maxLength:"256" doc:"扫描到的二维码内容"`
	}
}

// Identity is whose card a verified QR code is, masked: what a counter
// needs to open the citizen's business, and nothing more.
type Identity struct {
	CardID     string    `json:"cardId"`
	Name       string    `json:"name" example:"张*"`
	IDNumber   string    `json:"idNumber" example:"2106**********123X"`
	VerifiedAt time.Time `json:"verifiedAt"`
}

type identityOutput struct{ Body Identity }

func (c *Channel) registerECard(api huma.API) {
	huma.Register(api, op("issue-ecard", http.MethodPost, "/ecard", "电子社保卡", "签发（领取）电子社保卡", true),
		func(ctx context.Context, in *issueInput) (*cardOutput, error) {
			p, err := c.person(ctx, Acting{Signed: in.Signed})
			if err != nil {
				return nil, err
			}
			card, err := c.cfg.ECard.Issue(ctx, p.Person, in.Body.Name)
			c.record(ctx, p, "app.ecard.issue", err, nil)
			if err != nil {
				return nil, err
			}
			return &cardOutput{Body: CardView{CardID: card.ID, SignedAt: *instant(card.SignedAt)}}, nil
		})
	huma.Register(api, op("ecard-qrcode", http.MethodGet, "/ecard/qrcode", "电子社保卡",
		"电子社保卡动态二维码：每60秒更新，只能使用一次", true),
		func(ctx context.Context, in *Signed) (*qrOutput, error) {
			p, err := c.person(ctx, Acting{Signed: *in})
			if err != nil {
				return nil, err
			}
			qr, err := c.cfg.ECard.IssueQR(ctx, p.Person)
			if err != nil {
				return nil, err
			}
			return c.qrView(qr)
		})
	huma.Register(api, op("verify-ecard-qrcode", http.MethodPost, "/ecard/verify", "电子社保卡",
		"核验电子社保卡二维码（柜台、合作终端）：返回脱敏身份，同一二维码只能核验一次", false),
		func(ctx context.Context, in *verifyInput) (*identityOutput, error) {
			terminal, err := c.terminal(in.TerminalKey)
			if err != nil {
				return nil, err
			}
			id, err := c.verifyQR(ctx, in.Body.Payload)
			c.cfg.Audit.Record(ctx, audit.Entry{ActorKind: audit.Device, ActorRef: "terminal:" + terminal, Channel: domain.Counter,
				Action: "app.ecard.verify", Outcome: audit.OutcomeOf(err), SubjectRef: c.subjectRef(id.Person),
				RequestID: web.RequestIDFromContext(ctx)})
			if err != nil {
				return nil, err
			}
			return &identityOutput{Body: Identity{CardID: id.CardID, Name: id.MaskedName, IDNumber: id.Person.Masked(),
				VerifiedAt: c.now()}}, nil
		})
}

// qrView renders a platform token as the app's QR code.
func (c *Channel) qrView(qr ecard.QRCode) (*qrOutput, error) {
	payload := qrPrefix + strconv.FormatInt(qr.ExpiresAt.Unix(), 10) + ":" + qr.Token
	png, err := qrcode.Encode(payload, qrcode.Medium, 256)
	if err != nil {
		return nil, domain.Wrap(err, domain.Internal, "二维码生成失败，请稍后再试")
	}
	refresh := min(c.cfg.QRRefresh, max(time.Second, qr.ExpiresAt.Sub(c.cfg.Now())))
	return &qrOutput{Body: QRView{Payload: payload, Image: png, ExpiresAt: *instant(qr.ExpiresAt),
		RefreshIn: int(refresh / time.Second)}}, nil
}

// verifyQR redeems a scanned payload: a stale one is refused here, a live
// one by the platform, which answers each token once.
func (c *Channel) verifyQR(ctx context.Context, payload string) (ecard.Identity, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(payload), qrPrefix)
	exp, token, ok2 := strings.Cut(rest, ":")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || !ok2 || err != nil || token == "" {
		return ecard.Identity{}, domain.Errorf(domain.Invalid, "无法识别的二维码，请出示丹东智慧人社APP中的电子社保卡二维码")
	}
	if !c.cfg.Now().Before(time.Unix(unix, 0)) {
		return ecard.Identity{}, domain.Errorf(domain.Rejected, "二维码已过期，请刷新电子社保卡二维码后重新出示")
	}
	return c.cfg.ECard.VerifyQR(ctx, token)
}

// subjectRef is the blind index of a verified card's holder, for the
// audit log; "" when nobody was identified.
func (c *Channel) subjectRef(id domain.IDNumber) string {
	if id == "" {
		return ""
	}
	return c.cfg.Identity.Ref(id)
}
