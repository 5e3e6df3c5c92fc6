package counter

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

func submitToWire(s acceptance.Submission) SubmitRequest {
	return SubmitRequest{
		ApplicationID:     s.ApplicationID,
		MatterCode:        s.MatterCode,
		MatterName:        s.MatterName,
		Applicant:         Applicant{Kind: string(s.Applicant.Kind), Ref: s.Applicant.Ref, Display: s.Applicant.Display},
		Channel:           string(s.Channel),
		Form:              s.Form,
		Materials:         materialsToWire(s.Materials),
		BundleID:          s.BundleID,
		PrerequisitesDone: s.PrerequisitesDone,
	}
}

func materialsToWire(ms []acceptance.Material) []Material {
	out := make([]Material, 0, len(ms))
	for _, m := range ms {
		out = append(out, Material{Name: m.Name, Hash: m.Hash, Pledge: m.Pledge})
	}
	return out
}

func receiptFromWire(r Receipt) acceptance.Receipt {
	return acceptance.Receipt{
		CaseNo:               r.CaseNo,
		ApplicationID:        r.ApplicationID,
		MatterCode:           r.MatterCode,
		MatterName:           r.MatterName,
		AcceptedAt:           r.AcceptedAt.In(domain.Beijing),
		PromisedBy:           parseDate(r.PromisedBy),
		Generic:              r.Generic,
		PendingPrerequisites: r.PendingPrerequisites,
	}
}

func caseFromWire(c Case) acceptance.Case {
	out := acceptance.Case{
		CaseNo:               c.CaseNo,
		ApplicationID:        c.ApplicationID,
		MatterCode:           c.MatterCode,
		MatterName:           c.MatterName,
		Generic:              c.Generic,
		BundleID:             c.BundleID,
		Status:               acceptance.Status(c.Status),
		Step:                 c.Step,
		StepName:             c.StepName,
		Office:               c.Office,
		Staff:                c.Staff,
		Comment:              c.Comment,
		AcceptedAt:           c.AcceptedAt.In(domain.Beijing),
		PromisedBy:           parseDate(c.PromisedBy),
		PendingPrerequisites: c.PendingPrerequisites,
	}
	if c.FinishedAt != nil {
		out.FinishedAt = c.FinishedAt.In(domain.Beijing)
	}
	for _, s := range c.Steps {
		out.Steps = append(out.Steps, acceptance.Step{Code: s.Code, Name: s.Name, State: acceptance.StepState(s.State)})
	}
	return out
}

func eventFromWire(e Event) acceptance.Event {
	return acceptance.Event{
		ID:            e.ID,
		Cursor:        e.ID,
		CaseNo:        e.CaseNo,
		Seq:           e.Seq,
		ApplicationID: e.ApplicationID,
		Kind:          acceptance.EventKind(e.Kind),
		Status:        acceptance.Status(e.Status),
		Step:          e.Step,
		StepName:      e.StepName,
		Office:        e.Office,
		Staff:         e.Staff,
		Comment:       e.Comment,
		PromisedBy:    parseDate(e.PromisedBy),
		At:            e.At.In(domain.Beijing),
	}
}

// parseDate reads a DateLayout date as midnight in Beijing; zero for "" or
// anything else the core should not have sent.
func parseDate(s string) time.Time {
	t, err := time.ParseInLocation(DateLayout, s, domain.Beijing)
	if err != nil {
		return time.Time{}
	}
	return t
}
