package kiosk

import (
	"context"
	"errors"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// SessionView is the answer to opening a session and to asking for the
// current one: the token for HeaderSession and what the screen's header
// shows.
type SessionView struct {
	SessionID   string      `json:"sessionId" doc:"读卡会话令牌：本次查询的每个请求都放在 X-Kiosk-Session 请求头中"`
	Kind        SessionKind `json:"kind" enum:"person,unit"`
	Title       string      `json:"title"`    // 个人查询, 单位查询
	Greeting    string      `json:"greeting"` // 您好，张*
	Summary     []Field     `json:"summary"`
	Hall        string      `json:"hall"`
	IdleSeconds int         `json:"idleSeconds" doc:"无操作多少秒后自动结束"`
	ExpiresAt   string      `json:"expiresAt" doc:"本次查询最迟结束的时间（RFC 3339）"`
	Notice      string      `json:"notice,omitempty"`
}

// sessionView shows s on dev; notice warns of anything the holder should
// know.
func sessionView(s Session, dev device.Device, notice string) SessionView {
	v := SessionView{SessionID: s.Token, Kind: s.Kind, Title: "个人查询", Greeting: "您好，" + s.Name, Hall: dev.Hall,
		IdleSeconds: int(IdleTimeout / time.Second), ExpiresAt: s.HardUntil.In(domain.Beijing).Format(time.RFC3339),
		Notice: notice, Summary: []Field{{"姓名", s.Name}, {"身份证号", s.Person.Masked()}, {"人员状态", s.Status.Label()}}}
	if s.Kind == UnitSession {
		v.Title = "单位查询"
		v.Summary = []Field{{"单位名称", s.UnitName}, {"统一社会信用代码", s.Unit.String()}, {"经办人", s.Name}}
	}
	return v
}

type personCardInput struct{ Body CardRead }

type unitCardInput struct{ Body UnitCardRead }

type out[T any] struct{ Body T }

// openPerson opens a citizen's session for the card in the reader.
func (c *Channel) openPerson(ctx context.Context, in *personCardInput) (*out[SessionView], error) {
	dev, _ := DeviceFrom(ctx)
	id, fields := in.Body.check()
	if len(fields) > 0 {
		return nil, domain.InvalidFields(fields...)
	}
	p, err := c.verifyCard(ctx, dev, id, in.Body, PersonSession)
	if err != nil {
		return nil, err
	}
	insured.ReadAhead(c.core, id)
	s := c.newSession(dev, PersonSession, p)
	return c.open(ctx, s, dev, "")
}

// openUnit opens a unit clerk's session for the unit and the clerk's card.
func (c *Channel) openUnit(ctx context.Context, in *unitCardInput) (*out[SessionView], error) {
	dev, _ := DeviceFrom(ctx)
	code, legacy, err := domain.ParseCreditCode(in.Body.CreditCode)
	id, fields := in.Body.check()
	if de := (*domain.Error)(nil); errors.As(err, &de) {
		fields = append(de.Fields, fields...)
	}
	if len(fields) > 0 {
		return nil, domain.InvalidFields(fields...)
	}
	p, err := c.verifyCard(ctx, dev, id, in.Body.CardRead, UnitSession)
	if err != nil {
		return nil, err
	}
	if err := checkUnitClerk(p, code); err != nil {
		return nil, err
	}
	u, err := c.core.Unit(ctx, code)
	if err != nil {
		return nil, err
	}
	s := c.newSession(dev, UnitSession, p)
	s.Unit, s.UnitName, s.UnitRef = u.Code, u.Name, privacy.UnitIndex(c.sealer, u.Code)
	notice := ""
	if legacy {
		notice = "该统一社会信用代码校验位不符，请核对单位证照；本次查询不受影响"
	}
	return c.open(ctx, s, dev, notice)
}

// newSession is a session of kind for p, starting now on dev.
func (c *Channel) newSession(dev device.Device, kind SessionKind, p insured.Person) Session {
	now := c.now()
	return Session{Token: newToken(dev.ID), Device: dev.ID, Kind: kind, Person: p.ID,
		PersonRef: privacy.IDIndex(c.sealer, p.ID), Name: domain.MaskName(p.Name), Status: p.Status,
		OpenedAt: now, HardUntil: now.Add(HardLimit)}
}

// open stores s as the device's session and answers with it.
func (c *Channel) open(ctx context.Context, s Session, dev device.Device, notice string) (*out[SessionView], error) {
	err := c.saveSession(ctx, s)
	c.record(ctx, s, "kiosk.session.open", err)
	if err != nil {
		return nil, err
	}
	return &out[SessionView]{Body: sessionView(s, dev, notice)}, nil
}

// current answers with the request's session.
func (c *Channel) current(ctx context.Context, _ *struct{}) (*out[SessionView], error) {
	s, _ := SessionFrom(ctx)
	dev, _ := DeviceFrom(ctx)
	return &out[SessionView]{Body: sessionView(s, dev, "")}, nil
}

// closeSession ends the request's session: the card was taken or the
// holder pressed 退出.
func (c *Channel) closeSession(ctx context.Context, _ *struct{}) (*struct{}, error) {
	s, _ := SessionFrom(ctx)
	err := c.endSession(ctx, s)
	c.record(ctx, s, "kiosk.session.close", err)
	return nil, err
}
