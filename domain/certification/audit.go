package certification

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// systemRef is the audit actor of what the server does by itself.
const systemRef = "certification"

// record writes an audit entry of action on subjectRef's cycle c, done by
// actor (nil for the server itself) through channel, ending with err.
func (s *Service) record(ctx context.Context, action, subjectRef string, c Cycle, actor *Actor, channel domain.Channel, err error) {
	if s.auditor == nil {
		return
	}
	e := audit.Entry{ActorKind: audit.System, ActorRef: systemRef, Action: action,
		Outcome: audit.OutcomeOf(err), SubjectRef: subjectRef}
	if actor != nil {
		e.ActorKind, e.ActorRef = s.auditActor(*actor, subjectRef)
		e.Channel = channel
	}
	if c.ID != "" {
		e.Detail = map[string]string{"cycle": c.ID, "year": strconv.Itoa(c.Year), "state": string(c.State)}
		if c.Certification != nil {
			e.Detail["method"] = string(c.Certification.Method)
		}
	}
	s.auditor.Record(ctx, e)
}

// auditActor is who the audit log names for actor: a person by the blind
// index of their ID number, staff by number, the system by name.
func (s *Service) auditActor(a Actor, subjectRef string) (audit.ActorKind, string) {
	switch a.Kind {
	case Self:
		return audit.Person, subjectRef
	case Relative:
		return audit.Person, privacy.IDIndex(s.sealer, a.Relative)
	case Staff:
		return audit.Staff, a.StaffID
	}
	return audit.System, systemRef
}
