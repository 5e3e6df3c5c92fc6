package enterprise

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/transfer"
)

// A staff transfer beyond the region (统筹区外转出/转入) is filed twice: as
// an application through the domain core (unit.staff_transfer_out or _in),
// tracked like any other, and with the provincial transfer platform under
// the application's id, which the platform de-duplicates on. The platform
// call comes second and may fail without losing anything: the follow-up
// row remembers the transfer, and the next look at it files it again.
// Each look (the unit's query, or PollTransfers) reads the platform's
// status, and a new status is texted to the person once (短信提醒).

// TemplateTransferStatus is the SMS platform's template of transfer
// updates: insurance, from, to, status.
const TemplateTransferStatus = "HRSS_TRANSFER_STATUS"

type entRegionIn struct {
	Code string `json:"code" pattern:"^[1-9][0-9]{5}$" doc:"参保地行政区划代码，如 210100（沈阳市）"`
	Name string `json:"name" minLength:"1" maxLength:"50" doc:"参保地名称，如 沈阳市"`
}

type entTransferIn struct {
	UnitPath
	KeyHeader
	Body struct {
		Direction string          `json:"direction" enum:"out,in" doc:"out 转出（调往统筹区外）；in 转入（从统筹区外调入）"`
		Name      string          `json:"name" minLength:"2" maxLength:"30" doc:"职工姓名"`
		IDNumber  string          `json:"idNumber" minLength:"18" maxLength:"18" doc:"职工身份证号码"`
		Phone     string          `json:"phone,omitempty" maxLength:"20" doc:"接收转移进度短信的手机号码；不填则用社保经办系统登记的号码"`
		Region    entRegionIn     `json:"region" doc:"转出时为转入地，转入时为转出地"`
		Agency    string          `json:"agency,omitempty" maxLength:"100" doc:"转出时为新就业单位名称，转入时为转出地社保经办机构"`
		Materials []entMaterialIn `json:"materials,omitempty" maxItems:"10"`
	}
}

type entStepOut struct {
	StatusLabel string    `json:"statusLabel"`
	At          time.Time `json:"at"`
}

type entTransferOut struct {
	ApplicationID  string             `json:"applicationId" doc:"申请编号"`
	Direction      string             `json:"direction" enum:"out,in"`
	DirectionLabel string             `json:"directionLabel" doc:"转出 或 转入"`
	Insurance      string             `json:"insurance" doc:"险种"`
	From           string             `json:"from" doc:"转出地"`
	To             string             `json:"to" doc:"转入地"`
	Person         string             `json:"person" doc:"职工（脱敏）"`
	Number         string             `json:"number,omitempty" doc:"省转移平台转移编号"`
	Status         string             `json:"status,omitempty"`
	StatusLabel    string             `json:"statusLabel" doc:"受理中、转出地审核、转入地接收、基金划转、办结、退回；未送达平台时为“待提交省转移平台”"`
	Reason         string             `json:"reason,omitempty" doc:"退回原因"`
	Steps          []entStepOut       `json:"steps,omitempty"`
	Application    *entApplicationOut `json:"application,omitempty" doc:"申请在综合柜员制平台的办理进度"`
	CreatedAt      time.Time          `json:"createdAt"`
}

type entTransferResp struct {
	Body entTransferOut
}

func transferOf(f account.TransferFollow, t *transfer.Transfer) entTransferOut {
	o := entTransferOut{ApplicationID: f.ApplicationID, Direction: string(f.Direction), DirectionLabel: f.Direction.Label(),
		Insurance: f.Insurance.Label(), From: f.From.Name, To: f.To.Name, Person: f.Person, Number: f.Number,
		Status: string(f.Status), StatusLabel: f.Status.Label(), CreatedAt: f.CreatedAt.In(domain.Beijing)}
	if f.Status == "" {
		o.StatusLabel = "待提交省转移平台"
	}
	if t != nil {
		o.Reason = t.Reason
		for _, st := range t.Steps {
			o.Steps = append(o.Steps, entStepOut{StatusLabel: st.Status.Label(), At: st.At.In(domain.Beijing)})
		}
	}
	return o
}

// fileTransfer files a transfer out or in.
func (ch *Channel) fileTransfer(ctx context.Context, in *entTransferIn) (*entTransferResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	b := in.Body
	f, form, err := ch.transferFollow(ctx, s, in)
	if err != nil {
		return nil, err
	}
	matter := "unit.staff_transfer_out"
	if f.Direction == transfer.In {
		matter = "unit.staff_transfer_in"
	}
	filed, err := ch.file(ctx, s, filing{matter: matter, form: form, materials: materialsOf(b.Materials),
		key: subKey(in.IdempotencyKey, "T", 0)})
	if err != nil {
		return nil, err
	}
	f.ApplicationID = filed.Applications[0].ID
	if f, err = ch.cfg.TransferLog.AddTransfer(ctx, f); err != nil {
		return nil, err
	}
	t := ch.follow(ctx, f)
	out := transferOf(ch.reread(ctx, f), t)
	apps := filedOf(filed.Applications)
	out.Application = &apps[0]
	return &entTransferResp{Body: out}, nil
}

// transferFollow checks a transfer request and builds its follow-up and
// the application's form. Errors: Invalid; NotFound for a transfer out of
// someone not on the roll; Unavailable.
func (ch *Channel) transferFollow(ctx context.Context, s account.Session, in *entTransferIn) (account.TransferFollow, map[string]any, error) {
	b := in.Body
	id, err := domain.ParseIDNumber(b.IDNumber)
	if err != nil {
		return account.TransferFollow{}, nil, err
	}
	region := transfer.Region{Code: b.Region.Code, Name: b.Region.Name}
	if region.Code == ch.cfg.Home.Code || !transfer.IsRegionCode(region.Code) || utf8.RuneCountInString(region.Name) == 0 {
		return account.TransferFollow{}, nil, domain.InvalidFields(domain.FieldError{Field: "region",
			Message: "请填写丹东市以外的参保地（行政区划代码与名称）"})
	}
	phone, err := ch.transferPhone(ctx, s, id, transfer.Direction(b.Direction), b.Phone)
	if err != nil {
		return account.TransferFollow{}, nil, err
	}
	insurance, err := ch.pensionOf(ctx, s)
	if err != nil {
		return account.TransferFollow{}, nil, err
	}
	sealedID, err := privacy.SealID(ch.cfg.Sealer, id)
	if err != nil {
		return account.TransferFollow{}, nil, err
	}
	sealedPhone, err := privacy.SealPhone(ch.cfg.Sealer, phone)
	if err != nil {
		return account.TransferFollow{}, nil, err
	}
	sealedUnit, err := ch.cfg.Sealer.Seal(string(s.UnitCode))
	if err != nil {
		return account.TransferFollow{}, nil, err
	}
	now := ch.cfg.Now().UTC().Truncate(time.Millisecond)
	f := account.TransferFollow{UnitRef: s.UnitRef, SealedUnit: sealedUnit, OperatorID: s.OperatorID, Direction: transfer.Direction(b.Direction),
		Insurance: insurance, From: ch.cfg.Home, To: region, SealedPerson: sealedID,
		Person: domain.MaskName(b.Name) + " " + id.Masked(), SealedPhone: sealedPhone, CreatedAt: now, UpdatedAt: now}
	form := map[string]any{"name": b.Name, "idNumber": id.Raw(), "targetRegion": region.Name}
	if b.Agency != "" {
		form["targetUnit"] = b.Agency
	}
	if f.Direction == transfer.In {
		f.From, f.To = region, ch.cfg.Home
		form = map[string]any{"name": b.Name, "idNumber": id.Raw(), "originRegion": region.Name}
		if b.Agency != "" {
			form["originAgency"] = b.Agency
		}
	}
	return f, form, nil
}

// transferPhone is where status texts go: the number given, or the one the
// core has. A transfer out must be of the unit's own staff.
func (ch *Channel) transferPhone(ctx context.Context, s account.Session, id domain.IDNumber, dir transfer.Direction, given string) (domain.Phone, error) {
	var p insured.Person
	var err error
	if dir == transfer.Out {
		p, err = ch.ownStaff(ctx, s, id.Raw(), "unit.staff.check")
	} else {
		p, err = ch.cfg.Core.Person(ctx, id)
		if domain.IsCode(err, domain.NotFound) {
			err = nil // a newcomer the core does not know yet
		}
	}
	if err != nil {
		return "", err
	}
	if given == "" {
		return p.Phone, nil
	}
	phone, err := domain.ParsePhone(given)
	if err != nil {
		return "", err
	}
	return phone, nil
}

// pensionOf is the pension a unit's staff are insured in.
func (ch *Channel) pensionOf(ctx context.Context, s account.Session) (transfer.Insurance, error) {
	u, err := ch.cfg.Core.Unit(ctx, s.UnitCode)
	if err != nil {
		return "", err
	}
	if u.Type == insured.Institution {
		return transfer.PublicPension, nil
	}
	return transfer.EnterprisePension, nil
}

// follow brings a follow-up up to date with the platform — filing it if
// the platform has not got it, reading its status otherwise — and texts a
// new status to the person. A platform in trouble is logged, not raised:
// the unit still sees the last status known, and the next look retries.
func (ch *Channel) follow(ctx context.Context, f account.TransferFollow) *transfer.Transfer {
	var t transfer.Transfer
	var err error
	if f.Number == "" {
		t, err = ch.submitTransfer(ctx, f)
	} else {
		t, err = ch.cfg.Transfers.Transfer(ctx, f.Number)
	}
	if err != nil {
		ch.cfg.Logger.WarnContext(ctx, "transfer platform", "application", f.ApplicationID, "err", err)
		return nil
	}
	if err := ch.cfg.TransferLog.SawTransfer(ctx, f.ApplicationID, t.Number, t.Status, ch.cfg.Now()); err != nil {
		ch.cfg.Logger.WarnContext(ctx, "record transfer status", "application", f.ApplicationID, "err", err)
		return &t
	}
	ch.notify(ctx, f, t)
	return &t
}

func (ch *Channel) submitTransfer(ctx context.Context, f account.TransferFollow) (transfer.Transfer, error) {
	id, err := privacy.OpenID(ch.cfg.Sealer, f.SealedPerson)
	if err != nil {
		return transfer.Transfer{}, err
	}
	unit, err := ch.unitCodeOf(f)
	if err != nil {
		return transfer.Transfer{}, err
	}
	return ch.cfg.Transfers.Submit(ctx, transfer.Request{RequestID: f.ApplicationID, Direction: f.Direction, Person: id,
		From: f.From, To: f.To, Insurance: f.Insurance, Unit: unit})
}

// unitCodeOf opens the credit code of a follow-up's unit.
func (ch *Channel) unitCodeOf(f account.TransferFollow) (domain.CreditCode, error) {
	raw, err := ch.cfg.Sealer.Open(f.SealedUnit)
	return domain.CreditCode(raw), err
}

// transferWords are how a status reads in the text: 您的…申请（沈阳市转入丹东市）已办结.
var transferWords = map[transfer.Status]string{
	transfer.Accepted: "已受理", transfer.OutReview: "正在转出地审核", transfer.InReceive: "正在转入地接收",
	transfer.FundTransfer: "正在划转基金", transfer.Completed: "已办结", transfer.Returned: "已被退回，请联系单位经办人",
}

// notify texts a status the person has not been told, once across every
// instance: the one that moves the notified status sends.
func (ch *Channel) notify(ctx context.Context, f account.TransferFollow, t transfer.Transfer) {
	if t.Status == f.Notified || t.Status == "" {
		return
	}
	won, err := ch.cfg.TransferLog.MarkNotified(ctx, f.ApplicationID, f.Notified, t.Status)
	if err != nil || !won {
		return
	}
	phone, err := privacy.OpenPhone(ch.cfg.Sealer, f.SealedPhone)
	if err != nil || phone == "" {
		return
	}
	params := map[string]string{"insurance": f.Insurance.Label(), "from": f.From.Name, "to": f.To.Name,
		"status": transferWords[t.Status]}
	if _, err := ch.cfg.Texter.Send(ctx, phone, TemplateTransferStatus, params); err != nil {
		ch.cfg.Logger.WarnContext(ctx, "transfer status text", "application", f.ApplicationID, "err", err)
	}
}

// reread returns the follow-up as stored now, or f when it cannot.
func (ch *Channel) reread(ctx context.Context, f account.TransferFollow) account.TransferFollow {
	if now, err := ch.cfg.TransferLog.Transfer(ctx, f.UnitRef, f.ApplicationID); err == nil {
		return now
	}
	return f
}

type entTransferListOut struct {
	Body struct {
		Transfers []entTransferOut `json:"transfers"`
	}
}

// transfers lists the unit's latest 100 transfers as last seen.
func (ch *Channel) transfers(ctx context.Context, in *UnitPath) (*entTransferListOut, error) {
	s, err := ch.unitSession(ctx, *in)
	if err != nil {
		return nil, err
	}
	fs, err := ch.cfg.TransferLog.Transfers(ctx, s.UnitRef, 100)
	if err != nil {
		return nil, err
	}
	out := &entTransferListOut{}
	out.Body.Transfers = make([]entTransferOut, 0, len(fs))
	for _, f := range fs {
		out.Body.Transfers = append(out.Body.Transfers, transferOf(f, nil))
	}
	return out, nil
}

// transferStatus answers one transfer as the platform has it now, with its
// steps and the application's progress.
func (ch *Channel) transferStatus(ctx context.Context, in *ApplicationPath) (*entTransferResp, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	f, err := ch.cfg.TransferLog.Transfer(ctx, s.UnitRef, in.ID)
	if err != nil {
		return nil, err
	}
	t := ch.follow(ctx, f)
	out := transferOf(ch.reread(ctx, f), t)
	if v, err := ch.cfg.Progress.ByApplication(ctx, f.ApplicationID, s.UnitRef); err == nil {
		a := applicationOf(v)
		out.Application = &a
	}
	return &entTransferResp{Body: out}, nil
}

// PollTransfers brings up to limit open transfers up to date with the
// platform, texting every new status, and returns how many it looked at.
// The wiring may run it every minute or so; without it, statuses move
// when the unit looks.
func (ch *Channel) PollTransfers(ctx context.Context, limit int) (int, error) {
	fs, err := ch.cfg.TransferLog.OpenTransfers(ctx, limit)
	if err != nil {
		return 0, err
	}
	for _, f := range fs {
		ch.follow(ctx, f)
	}
	return len(fs), nil
}
