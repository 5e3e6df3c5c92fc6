package sim

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
)

// defaultWorkflows is the bureau's configuration as the simulator ships it:
// roles, staff with their tokens, step templates, the generic intake, the
// matters with their flows, limits and prerequisites, and the holiday table.
// The matters mirror the BFF's catalogue (domain/catalog/catalog.json) by
// code, promised days and prerequisites, as the real core and the catalogue
// are kept in step by the bureau; TestWorkflowsCoverTheCatalog checks it.
// Flows: 即办 matters 受理 → 办结; others add 审核, and those that pay money
// or decide a right add 审批.
//
//go:embed workflows.json
var defaultWorkflows []byte

// DefaultWorkflows returns the embedded configuration, as a starting point
// for an override (Config.Workflows).
func DefaultWorkflows() []byte { return slices.Clone(defaultWorkflows) }

// The credentials of the seeded staff in the embedded configuration. The
// token of every staff member is "sim-staff-" + their id: acceptors (综合柜员)
// A01–A03, reviewers (审核岗) R01–R02, approvers (审批岗) P01–P02.
const (
	TokenAcceptor  = "sim-staff-A01"
	TokenAcceptor2 = "sim-staff-A02"
	TokenAcceptor3 = "sim-staff-A03"
	TokenReviewer  = "sim-staff-R01"
	TokenReviewer2 = "sim-staff-R02"
	TokenApprover  = "sim-staff-P01"
	TokenApprover2 = "sim-staff-P02"
)

// stepDef is one step of a workflow (流程环节) with the role that handles it
// (流程规则: which post gets the task) and the office shown to applicants.
type stepDef struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Office   string `json:"office"`
	Decisive bool   `json:"decisive"` // passing it is the approval (审批通过)
}

// matter is one matter (事项) with its workflow.
type matter struct {
	Code          string   `json:"code"`
	Name          string   `json:"name"`
	Office        string   `json:"office"`
	LimitDays     int      `json:"limitDays"` // promised limit in working days (承诺时限)
	Flow          []string `json:"flow"`
	Prerequisites []string `json:"prerequisites"`
	steps         []stepDef
}

// staff is a member of staff with the token that names them.
type staff struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Office string `json:"office"`
	Token  string `json:"token"`
}

// workflows is the whole configuration, resolved for lookups.
type workflows struct {
	Roles   map[string]string  `json:"roles"`
	Staff   []staff            `json:"staff"`
	Steps   map[string]stepDef `json:"steps"`
	Generic struct {
		Name      string  `json:"name"`
		LimitDays int     `json:"limitDays"`
		Step      stepDef `json:"step"`
	} `json:"generic"`
	Matters  []matter `json:"matters"`
	Calendar struct {
		Holidays []string `json:"holidays"`
		Workdays []string `json:"workdays"`
	} `json:"calendar"`

	matters  map[string]*matter
	byToken  map[string]*staff
	byID     map[string]*staff
	calendar calendar
}

// parseWorkflows reads and checks a configuration: every step a flow names
// exists, every role is known, every prerequisite is a matter.
func parseWorkflows(data []byte) (*workflows, error) {
	var w workflows
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("counter workflows: %w", err)
	}
	if err := w.resolveStaff(); err != nil {
		return nil, err
	}
	if _, ok := w.Roles[w.Generic.Step.Role]; !ok || w.Generic.Step.Code == "" {
		return nil, fmt.Errorf("counter workflows: generic intake step needs a code and a known role")
	}
	if err := w.resolveMatters(); err != nil {
		return nil, err
	}
	cal, err := newCalendar(w.Calendar.Holidays, w.Calendar.Workdays)
	if err != nil {
		return nil, err
	}
	w.calendar = cal
	return &w, nil
}

func (w *workflows) resolveStaff() error {
	w.byToken, w.byID = map[string]*staff{}, map[string]*staff{}
	for i := range w.Staff {
		st := &w.Staff[i]
		if _, ok := w.Roles[st.Role]; !ok || st.ID == "" || st.Token == "" {
			return fmt.Errorf("counter workflows: staff %q needs an id, a token and a known role", st.ID)
		}
		if w.byID[st.ID] != nil || w.byToken[st.Token] != nil {
			return fmt.Errorf("counter workflows: staff %q repeats an id or token", st.ID)
		}
		w.byID[st.ID], w.byToken[st.Token] = st, st
	}
	return nil
}

func (w *workflows) resolveMatters() error {
	w.matters = map[string]*matter{}
	for i := range w.Matters {
		m := &w.Matters[i]
		if m.Code == "" || m.Code == w.Generic.Step.Code || len(m.Flow) == 0 || w.matters[m.Code] != nil {
			return fmt.Errorf("counter workflows: matter %q needs a unique code and a flow", m.Code)
		}
		for _, code := range m.Flow {
			def, ok := w.Steps[code]
			if _, known := w.Roles[def.Role]; !ok || !known {
				return fmt.Errorf("counter workflows: matter %s: step %q unknown or without a known role", m.Code, code)
			}
			def.Code = code
			if def.Office == "" {
				def.Office = m.Office
			}
			m.steps = append(m.steps, def)
		}
		w.matters[m.Code] = m
	}
	for _, m := range w.matters {
		for _, p := range m.Prerequisites {
			if w.matters[p] == nil {
				return fmt.Errorf("counter workflows: matter %s: unknown prerequisite %q", m.Code, p)
			}
		}
	}
	return nil
}

// flow returns the steps of a case's workflow: the matter's, or the single
// routing step of a generic intake not yet routed (matter code "").
func (w *workflows) flow(matterCode string) []stepDef {
	if m := w.matters[matterCode]; m != nil {
		return m.steps
	}
	return []stepDef{w.Generic.Step}
}

// step returns the step with code in a case's flow and its index; -1 if the
// flow has no such step.
func (w *workflows) step(matterCode, code string) (stepDef, int) {
	for i, s := range w.flow(matterCode) {
		if s.Code == code {
			return s, i
		}
	}
	return stepDef{}, -1
}

// staffOfRole returns the first staff member with role, whom auto-staff
// mode acts as; nil if there is none.
func (w *workflows) staffOfRole(role string) *staff {
	for i := range w.Staff {
		if w.Staff[i].Role == role {
			return &w.Staff[i]
		}
	}
	return nil
}
