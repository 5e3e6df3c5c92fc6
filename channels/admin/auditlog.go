package admin

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// The audit log names people only by the blind index of their ID number
// (unit by that of its credit code), so staff find a person's entries by
// typing the ID number: it is indexed with the same key, never stored or
// shown, and sent in a POST body rather than a URL, so it reaches no
// access log or browser history.

// actorKindNames are the actor kinds' Chinese names.
var actorKindNames = map[audit.ActorKind]string{
	audit.Person: "参保人本人", audit.UnitOperator: "单位经办人", audit.Staff: "工作人员",
	audit.Device: "自助终端", audit.System: "系统",
}

type auditSearchInput struct {
	Body struct {
		IDNumber   string `json:"idNumber,omitempty" maxLength:"32" doc:"查询个人：公民身份号码"`
		CreditCode string `json:"creditCode,omitempty" maxLength:"32" doc:"查询单位：统一社会信用代码"`
		Limit      int    `json:"limit,omitempty" minimum:"1" maximum:"1000" default:"100" doc:"最多条数，最新的在前"`
	}
}

// auditEntry is one line of the audit log, as staff read it. It holds
// references and masked text only.
type auditEntry struct {
	At            string            `json:"at"`
	ActorKind     string            `json:"actorKind"`
	ActorKindName string            `json:"actorKindName"`
	ActorRef      string            `json:"actorRef" doc:"操作者：工作人员编号、账户或终端编号，或身份证号的索引值"`
	BySubject     bool              `json:"bySubject" doc:"是否为当事人本人操作"`
	Channel       string            `json:"channel,omitempty"`
	ChannelName   string            `json:"channelName,omitempty"`
	Action        string            `json:"action"`
	Outcome       string            `json:"outcome" doc:"ok 成功，否则为拒绝或失败的原因代码"`
	RequestID     string            `json:"requestId,omitempty"`
	Detail        map[string]string `json:"detail,omitempty"`
}

type auditSearchOutput struct {
	Body struct {
		Subject     string       `json:"subject" doc:"查询对象（身份证号已脱敏）"`
		SubjectKind string       `json:"subjectKind" enum:"person,unit"`
		Entries     []auditEntry `json:"entries"`
	}
}

// searchAudit returns the latest audit entries about a person or unit.
// The search is itself audited, with the person or unit as its subject.
func (a *Admin) searchAudit(ctx context.Context, in *auditSearchInput) (*auditSearchOutput, error) {
	out := &auditSearchOutput{}
	ref, err := a.subject(in, out)
	if err != nil {
		return nil, err
	}
	entries, err := a.auditLog.ForSubject(ctx, ref, in.Body.Limit)
	a.record(ctx, staffFrom(ctx), "audit.search", err, ref, map[string]string{"limit": strconv.Itoa(in.Body.Limit)})
	if err != nil {
		return nil, err
	}
	out.Body.Entries = make([]auditEntry, 0, len(entries))
	for _, e := range entries {
		out.Body.Entries = append(out.Body.Entries, auditEntryOf(e, ref))
	}
	return out, nil
}

// subject checks the one identifier searched for and returns its blind
// index, filling in how the answer names the subject.
func (a *Admin) subject(in *auditSearchInput, out *auditSearchOutput) (string, error) {
	id, code := in.Body.IDNumber, in.Body.CreditCode
	switch {
	case (id == "") == (code == ""):
		return "", domain.InvalidFields(domain.FieldError{Field: "idNumber", Message: "请填写身份证号码或统一社会信用代码（二者填一）"})
	case id != "":
		n, err := domain.ParseIDNumber(id)
		if err != nil {
			return "", err
		}
		out.Body.Subject, out.Body.SubjectKind = n.Masked(), "person"
		return privacy.IDIndex(a.sealer, n), nil
	}
	c, _, err := domain.ParseCreditCode(code)
	if err != nil {
		return "", err
	}
	out.Body.Subject, out.Body.SubjectKind = string(c), "unit"
	return privacy.UnitIndex(a.sealer, c), nil
}

func auditEntryOf(e audit.Entry, subject string) auditEntry {
	out := auditEntry{At: stamp(e.At), ActorKind: string(e.ActorKind), ActorKindName: actorKindNames[e.ActorKind],
		ActorRef: e.ActorRef, BySubject: e.ActorRef == subject, Channel: string(e.Channel), Action: e.Action,
		Outcome: e.Outcome, RequestID: e.RequestID, Detail: e.Detail}
	switch {
	case e.Channel == BackOffice:
		out.ChannelName = "管理后台"
	case e.Channel != "":
		out.ChannelName = e.Channel.Label()
	}
	return out
}
