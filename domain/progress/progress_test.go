package progress_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/progress"
)

// store holds one application and counts what was applied.
type store struct {
	progress.Store
	app     declaration.Application
	applied []acceptance.Event
}

func (s *store) Application(_ context.Context, id string) (declaration.Application, error) {
	if id != s.app.ID {
		return declaration.Application{}, domain.Errorf(domain.NotFound, "未找到该申请")
	}
	return s.app, nil
}

func (s *store) Timeline(context.Context, string) ([]acceptance.Event, error) { return nil, nil }

func (s *store) Apply(_ context.Context, ev acceptance.Event, _ time.Time) (bool, error) {
	for _, a := range s.applied {
		if a.ID == ev.ID {
			return false, nil // a duplicate changes nothing
		}
	}
	s.applied = append(s.applied, ev)
	return true, nil
}

// day is midnight of a Beijing date in November/December 2026.
func day(month time.Month, d int) time.Time {
	return time.Date(2026, month, d, 0, 0, 0, 0, domain.Beijing)
}

func TestOverdueInWorkingDays(t *testing.T) {
	// The promised day is Friday 4 December 2026.
	promised := day(time.December, 4)
	tests := []struct {
		name    string
		now     time.Time
		status  acceptance.Status
		overdue bool
		left    int
	}{
		{"Monday before", day(time.November, 30).Add(9 * time.Hour), acceptance.StatusInProgress, false, 4},
		{"the day itself, late evening", promised.Add(23 * time.Hour), acceptance.StatusInProgress, false, 0},
		{"Saturday after", day(time.December, 5).Add(time.Hour), acceptance.StatusInProgress, true, 0},
		{"Tuesday after", day(time.December, 8).Add(time.Hour), acceptance.StatusAwaitingMaterials, true, -2},
		{"completed late is not overdue", day(time.December, 8), acceptance.StatusCompleted, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := &store{app: declaration.Application{ID: "AP1", Applicant: declaration.Applicant{Ref: "me"},
				State: declaration.State{Status: declaration.Status(tt.status), CaseNo: "DD1", PromisedBy: promised}}}
			svc := progress.NewService(progress.Config{Store: st, Now: func() time.Time { return tt.now }})
			v, err := svc.ByApplication(context.Background(), "AP1", "me")
			if err != nil {
				t.Fatal(err)
			}
			if v.Overdue != tt.overdue || v.WorkdaysLeft != tt.left {
				t.Errorf("overdue %v, %d working days left; want %v, %d", v.Overdue, v.WorkdaysLeft, tt.overdue, tt.left)
			}
		})
	}
}

func TestOnlyTheApplicantSeesTheApplication(t *testing.T) {
	st := &store{app: declaration.Application{ID: "AP1", Applicant: declaration.Applicant{Ref: "me"},
		ActingFor: declaration.Applicant{Ref: "my-son"}, State: declaration.State{Status: declaration.StatusSubmitted}}}
	svc := progress.NewService(progress.Config{Store: st})
	for viewer, want := range map[string]domain.Code{"me": "", "my-son": "", progress.AnyApplicant: "", "stranger": domain.NotFound, "": domain.NotFound} {
		_, err := svc.ByApplication(context.Background(), "AP1", viewer)
		if got := domain.ErrorCode(err); got != want {
			t.Errorf("viewer %q: %v; want code %q", viewer, err, want)
		}
	}
}

func TestRefusedWebhookChangesNothing(t *testing.T) {
	for _, code := range []domain.Code{domain.Unauthenticated, domain.Invalid} {
		st := &store{}
		var refused []string
		verifier := progress.WebhookVerifierFunc(func(func(string) string, []byte) (acceptance.Event, error) {
			return acceptance.Event{}, domain.Errorf(code, "受理系统推送的签名无效")
		})
		svc := progress.NewService(progress.Config{Store: st, Verifier: verifier,
			Metrics: progress.Metrics{Refused: func(r string) { refused = append(refused, r) }}})
		err := svc.HandleWebhook(context.Background(), func(string) string { return "" }, []byte(`{}`))
		if domain.ErrorCode(err) != code || len(st.applied) != 0 || len(refused) != 1 {
			t.Errorf("HandleWebhook = %v, %d applied, refusals %v; want %s, none applied, one counted", err, len(st.applied), refused, code)
		}
	}
}

func TestReceiveRefusesIncompleteEvents(t *testing.T) {
	st := &store{}
	svc := progress.NewService(progress.Config{Store: st})
	for _, ev := range []acceptance.Event{
		{CaseNo: "DD1", ApplicationID: "AP1", Seq: 1},
		{ID: "1", ApplicationID: "AP1", Seq: 1},
		{ID: "1", CaseNo: "DD1", ApplicationID: "AP1"},
	} {
		if err := svc.Receive(context.Background(), ev); !domain.IsCode(err, domain.Invalid) {
			t.Errorf("Receive(%+v) = %v; want Invalid", ev, err)
		}
	}
	if len(st.applied) != 0 {
		t.Errorf("%d applied; want none", len(st.applied))
	}
}

// Applied hears of every event, a repeat marked as not fresh, so a
// consumer that failed the first time hears of it again.
func TestAppliedHearsEveryEvent(t *testing.T) {
	var heard []string
	svc := progress.NewService(progress.Config{Store: &store{},
		Applied: func(_ context.Context, ev acceptance.Event, fresh bool) error {
			heard = append(heard, fmt.Sprintf("%s:%v", ev.ID, fresh))
			return nil
		}})
	ev := acceptance.Event{ID: "E1", CaseNo: "DD1", ApplicationID: "AP1", Seq: 1, Kind: acceptance.EventAccepted}
	for range 2 {
		if err := svc.Receive(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	ev.ID, ev.Seq = "E2", 2
	if err := svc.Receive(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(heard, " "), "E1:true E1:false E2:true"; got != want {
		t.Errorf("heard %q; want %q", got, want)
	}
}
