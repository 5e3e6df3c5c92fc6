package kiosk

import (
	"context"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// CardRead is what the kiosk's reader read from a second-generation ID card
// (第二代居民身份证) or a social-security card (社会保障卡).
type CardRead struct {
	CardKind   string `json:"cardKind" enum:"id_card,ssc" doc:"卡片类型：id_card 第二代居民身份证，ssc 社会保障卡"`
	IDNumber   string `json:"idNumber" maxLength:"32" doc:"读出的公民身份号码"`
	Name       string `json:"name" maxLength:"30" doc:"读出的姓名"`
	CardSerial string `json:"cardSerial" pattern:"^[0-9A-Za-z]{6,64}$" doc:"卡片识别码：社会保障卡卡号或身份证卡体序列号，6到64位字母或数字"`
}

// UnitCardRead is what a unit clerk enters and inserts: the unit's credit
// code, typed on the screen, and the clerk's own card.
type UnitCardRead struct {
	CreditCode string `json:"creditCode" maxLength:"32" doc:"单位统一社会信用代码"`
	CardRead
}

const msgNameMismatch = "卡片上的姓名与社保登记信息不一致，无法核验身份，请到人工窗口办理"

// check reads the card's ID number and name, naming every field at fault.
func (r CardRead) check() (domain.IDNumber, []domain.FieldError) {
	var fields []domain.FieldError
	id, err := domain.ParseIDNumber(r.IDNumber)
	if de := (*domain.Error)(nil); errors.As(err, &de) {
		fields = append(fields, de.Fields...)
	}
	if normalizeName(r.Name) == "" {
		fields = append(fields, domain.FieldError{Field: "name", Message: "未读取到姓名，请重新插卡"})
	}
	return id, fields
}

// normalizeName drops spaces and writes every form of the middle dot of
// minority names (买买提·艾力) as '·', since readers and the core differ.
func normalizeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case r == '•' || r == '・' || r == '.' || r == '．' || r == '·':
			b.WriteRune('·')
		case r == utf8.RuneError:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// verifyCard checks the card against the business core: the person must
// exist and the name on the card must be the name the core has. The attempt
// is audited with the device as actor, since no one is identified yet.
func (c *Channel) verifyCard(ctx context.Context, dev device.Device, id domain.IDNumber, card CardRead, kind SessionKind) (insured.Person, error) {
	p, err := c.core.Person(ctx, id)
	if err == nil && normalizeName(p.Name) != normalizeName(card.Name) {
		err = domain.Errorf(domain.Rejected, msgNameMismatch)
	}
	c.audit.Record(ctx, audit.Entry{ActorKind: audit.Device, ActorRef: dev.ID, Channel: domain.Kiosk,
		Action: "kiosk.card.verify", Outcome: audit.OutcomeOf(err), SubjectRef: privacy.IDIndex(c.sealer, id),
		RequestID: web.RequestIDFromContext(ctx), Detail: map[string]string{"card": card.CardKind, "session": string(kind)}})
	return p, err
}

// checkUnitClerk allows a unit session only to someone employed by the unit
// now: on its roll and at work, not retired from it. The bureau keeps no
// separate register of unit clerks (单位经办人) the kiosk could consult; a
// clerk is one of the unit's staff, and this is the rule the counter
// applies to a clerk with no power of attorney.
func checkUnitClerk(p insured.Person, code domain.CreditCode) error {
	if p.UnitCode != code || p.Status != insured.Employed {
		return domain.Errorf(domain.Forbidden, "您不是该单位在职参保人员，不能查询该单位信息；请由单位经办人持本人卡片办理")
	}
	return nil
}
