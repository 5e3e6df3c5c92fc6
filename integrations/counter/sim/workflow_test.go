package sim

import (
	"slices"
	"testing"

	"github.com/dandong-hrss/hrss/domain/catalog"
)

// The simulated core must know every matter of the BFF's catalogue by the
// same code, limit and prerequisites; otherwise the BFF's applications
// would all arrive as generic intakes (纯接件) and never finish in the demo.
// When the catalogue changes, change workflows.json with it.
func TestWorkflowsCoverTheCatalog(t *testing.T) {
	file, err := catalog.EmbeddedFile()
	if err != nil {
		t.Fatal(err)
	}
	w, err := parseWorkflows(defaultWorkflows)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range file.Matters {
		got := w.matters[m.Code]
		if got == nil {
			t.Errorf("catalog matter %s (%s) has no workflow in workflows.json", m.Code, m.Name)
			continue
		}
		if got.LimitDays != m.Limits.PromisedDays {
			t.Errorf("%s: limit %d working days; want the catalog's promised %d", m.Code, got.LimitDays, m.Limits.PromisedDays)
		}
		if !slices.Equal(got.Prerequisites, m.Prerequisites) {
			t.Errorf("%s: prerequisites %v; want the catalog's %v", m.Code, got.Prerequisites, m.Prerequisites)
		}
	}
}

func TestEveryRoleHasStaff(t *testing.T) {
	w, err := parseWorkflows(defaultWorkflows)
	if err != nil {
		t.Fatal(err)
	}
	for role, name := range w.Roles {
		if w.staffOfRole(role) == nil {
			t.Errorf("role %s (%s) has no staff: its tasks could never be done", role, name)
		}
	}
	for _, tok := range []string{TokenAcceptor, TokenAcceptor2, TokenAcceptor3, TokenReviewer, TokenReviewer2, TokenApprover, TokenApprover2} {
		if w.byToken[tok] == nil {
			t.Errorf("documented token %s names no staff member", tok)
		}
	}
}
