package certification_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// The cycle of env's pensioners: due 2026-03-15, 10 days' grace, suspended
// 20 days after falling overdue.
func TestStatusFollowsTheClock(t *testing.T) {
	e := newEnv(t, newMemStore())
	person := personID(1)
	first := e.status(t, person)
	if first.DueOn != date(2026, time.March, 15) || first.OverdueOn != date(2026, time.March, 26) || first.SuspendOn != date(2026, time.April, 15) {
		t.Fatalf("dates: got due %v, overdue %v, suspend %v; want 2026-03-15, -03-26, -04-15", first.DueOn, first.OverdueOn, first.SuspendOn)
	}
	tests := []struct {
		now  time.Time
		want certification.State
	}{
		{at(2026, time.February, 1), certification.Due},
		{at(2026, time.March, 15), certification.Due},
		{date(2026, time.March, 26).Add(-time.Second), certification.Due}, // last grace day
		{date(2026, time.March, 26), certification.Overdue},
		{at(2026, time.April, 14), certification.Overdue},
		{date(2026, time.April, 15), certification.Suspended},
		{at(2026, time.May, 30), certification.Suspended},
	}
	for _, tt := range tests { // in order: each row moves the same cycle on
		e.clock.Set(tt.now)
		if got := e.status(t, person); got.State != tt.want || got.ID != first.ID {
			t.Errorf("at %v: got %s (cycle %s); want %s (cycle %s)", tt.now, got.State, got.ID, tt.want, first.ID)
		}
	}
	if k := e.out.kinds(); !slices.Equal(k, []string{"suspended"}) {
		t.Errorf("forwarded: got %v; want one suspension", k)
	}
}

func TestSweepMovesCyclesOnOnce(t *testing.T) {
	e := newEnv(t, newMemStore())
	for i := 1; i <= 3; i++ {
		e.status(t, personID(i))
	}
	e.selfFace(t, personID(3)) // certified: nothing happens to it
	tests := []struct {
		now                          time.Time
		overdue, suspended, reminded int
	}{
		{at(2026, time.March, 26), 2, 0, 2},
		{at(2026, time.March, 26), 0, 0, 0},
		{at(2026, time.April, 15), 0, 2, 0},
		{at(2026, time.April, 16), 0, 0, 0},
	}
	for _, tt := range tests {
		rep := e.sweep(t, tt.now)
		if rep.Overdue != tt.overdue || rep.Suspended != tt.suspended || rep.Reminded != tt.reminded || rep.Failed != 0 {
			t.Errorf("sweep at %v: got %+v; want %d overdue, %d suspended, %d reminded", tt.now, rep, tt.overdue, tt.suspended, tt.reminded)
		}
	}
	for i, want := range []certification.State{certification.Suspended, certification.Suspended, certification.Certified} {
		if got := e.status(t, personID(i+1)); got.State != want {
			t.Errorf("person %d: got %s; want %s", i+1, got.State, want)
		}
	}
	if k := e.out.kinds(); !slices.Equal(k, []string{"certified", "suspended", "suspended"}) {
		t.Errorf("forwarded: got %v; want one certification and two suspensions", k)
	}
}

func TestRemindersAreSentOnceEach(t *testing.T) {
	e := newEnv(t, newMemStore())
	e.status(t, personID(1))
	tests := []struct {
		now  time.Time
		want []string
	}{
		{at(2026, time.February, 10), nil},
		{at(2026, time.February, 13), []string{"due_30"}},
		{at(2026, time.February, 13), nil},
		{at(2026, time.February, 20), nil},
		{at(2026, time.March, 8), []string{"due_7"}},
		{at(2026, time.March, 9), nil},
		{at(2026, time.March, 26), []string{"overdue"}},
		{at(2026, time.March, 26), nil},
		{at(2026, time.April, 15), nil},
	}
	for _, tt := range tests {
		before := len(e.out.reminderKinds())
		e.sweep(t, tt.now)
		if got := e.out.reminderKinds()[before:]; !slices.Equal(got, tt.want) {
			t.Errorf("sweep at %v: got reminders %v; want %v", tt.now, got, tt.want)
		}
	}
	r := e.out.reminders[0]
	if r.Person != personID(1) || r.Year != 2026 || r.Deadline != date(2026, time.March, 25) ||
		r.SuspendOn != date(2026, time.April, 15) || r.DaysLeft != 40 {
		t.Errorf("first reminder: got %s, %d, deadline %v, suspend %v, %d days left; want the pensioner, 2026, 2026-03-25, 2026-04-15, 40",
			r.Person, r.Year, r.Deadline, r.SuspendOn, r.DaysLeft)
	}
}

func TestLateSweepSendsOnlyTheCurrentReminder(t *testing.T) {
	e := newEnv(t, newMemStore())
	e.status(t, personID(1))
	e.sweep(t, at(2026, time.March, 10))
	e.sweep(t, at(2026, time.March, 11))
	if got := e.out.reminderKinds(); !slices.Equal(got, []string{"due_7"}) {
		t.Errorf("reminders: got %v; want only due_7", got)
	}
}

func TestCertifiedPensionerIsNotReminded(t *testing.T) {
	e := newEnv(t, newMemStore())
	e.selfFace(t, personID(1))
	for _, d := range []int{13, 20} {
		e.sweep(t, at(2026, time.February, d))
	}
	e.sweep(t, at(2026, time.March, 26))
	if got := e.out.reminderKinds(); len(got) != 0 {
		t.Errorf("reminders: got %v; want none", got)
	}
}

func TestFailedReminderIsRetried(t *testing.T) {
	e := newEnv(t, newMemStore())
	e.status(t, personID(1))
	e.out.failRem = true
	if rep := e.sweep(t, at(2026, time.February, 13)); rep.Failed != 1 || rep.Reminded != 0 {
		t.Errorf("sweep with SMS down: got %+v; want 1 failed", rep)
	}
	e.out.failRem = false
	e.sweep(t, at(2026, time.February, 13).Add(5*time.Minute))
	e.sweep(t, at(2026, time.February, 13).Add(10*time.Minute))
	if got := e.out.reminderKinds(); !slices.Equal(got, []string{"due_30"}) {
		t.Errorf("reminders: got %v; want due_30 once", got)
	}
}

func TestResumptionGivesBackPay(t *testing.T) {
	e := newEnv(t, newMemStore())
	person := personID(1)
	e.status(t, person)
	e.sweep(t, at(2026, time.April, 15))
	e.clock.Set(at(2026, time.June, 3))
	c := e.selfFace(t, person)
	if c.State != certification.Resumed {
		t.Fatalf("state: got %s; want resumed", c.State)
	}
	want := []insured.Month{202604, 202605, 202606}
	if bp := c.BackPay(); bp == nil || !slices.Equal(bp.Months, want) {
		t.Errorf("back pay: got %+v; want months %v", bp, want)
	}
	if k := e.out.kinds(); !slices.Equal(k, []string{"suspended", "resumed"}) {
		t.Fatalf("forwarded: got %v; want suspended, resumed", k)
	}
	if n := e.out.notices[1]; n.BackPay == nil || !slices.Equal(n.BackPay.Months, want) || n.Certification == nil {
		t.Errorf("resumed notice: got %+v; want the certification and back pay %v", n, want)
	}
	if n := e.out.notices[0]; n.BackPay != nil || n.Certification != nil || !n.SuspendedAt.Equal(at(2026, time.April, 15)) {
		t.Errorf("suspended notice: got %+v; want only the suspension time", n)
	}
}

func TestOverdueCertificationHasNoBackPay(t *testing.T) {
	e := newEnv(t, newMemStore())
	e.status(t, personID(1))
	e.sweep(t, at(2026, time.March, 30))
	e.clock.Set(at(2026, time.April, 2))
	if c := e.selfFace(t, personID(1)); c.State != certification.Certified || c.BackPay() != nil {
		t.Errorf("got %s with back pay %+v; want certified without", c.State, c.BackPay())
	}
}

func TestForwardingIsRetriedInOrder(t *testing.T) {
	e := newEnv(t, newMemStore())
	person := personID(1)
	e.status(t, person)
	e.out.failFwd = true
	e.sweep(t, at(2026, time.April, 15))
	e.clock.Set(at(2026, time.April, 20))
	if c := e.selfFace(t, person); c.State != certification.Resumed {
		t.Fatalf("Certify while the counter core is down: got %s; want resumed all the same", c.State)
	}
	e.out.failFwd = false
	rep := e.sweep(t, at(2026, time.April, 20).Add(time.Hour))
	e.sweep(t, at(2026, time.April, 21))
	if k := e.out.kinds(); !slices.Equal(k, []string{"suspended", "resumed"}) || rep.Forwarded != 2 {
		t.Errorf("forwarded: got %v (report %d); want suspended, resumed, each once", k, rep.Forwarded)
	}
}

func TestNextYearsCycleOpens(t *testing.T) {
	e := newEnv(t, newMemStore())
	person := personID(1)
	first := e.selfFace(t, person)
	e.clock.Set(at(2026, time.November, 1))
	if c := e.status(t, person); c.ID != first.ID || c.State != certification.Certified {
		t.Errorf("before the window: got %s of %s; want the certified cycle", c.State, c.ID)
	}
	if rep := e.sweep(t, at(2026, time.December, 3)); rep.Opened != 1 {
		t.Errorf("sweep when the window opens: got %+v; want 1 opened", rep)
	}
	c := e.status(t, person)
	if c.State != certification.Due || c.Year != 2027 || c.DueOn != date(2027, time.February, 1) || c.Seq != first.Seq+1 {
		t.Errorf("next cycle: got %s, %d, due %v, seq %d; want due, 2027, 2027-02-01, %d", c.State, c.Year, c.DueOn, c.Seq, first.Seq+1)
	}
	e.sweep(t, at(2027, time.January, 2))
	if got := e.out.reminderKinds(); !slices.Equal(got, []string{"due_30"}) {
		t.Errorf("reminders: got %v; want due_30 of the new cycle", got)
	}
}

func TestFirstCycleIsNeverDueBeforeItStarts(t *testing.T) {
	e := newEnv(t, newMemStore())
	e.people[personID(1)] = certification.Pensioner{Name: "赵淑兰", Retired: true, LastCertified: at(2023, time.January, 5)}
	c := e.status(t, personID(1))
	if c.State != certification.Due || c.DueOn != date(2026, time.February, 1) {
		t.Errorf("got %s due %v; want due today, 2026-02-01", c.State, c.DueOn)
	}
	if k := e.out.kinds(); len(k) != 0 {
		t.Errorf("forwarded: got %v; want nothing", k)
	}
}

func TestWithoutACertificationTheCycleRunsFromRetirement(t *testing.T) {
	e := newEnv(t, newMemStore())
	e.people[personID(1)] = certification.Pensioner{Name: "赵淑兰", Retired: true, RetiredOn: at(2025, time.September, 1)}
	c := e.status(t, personID(1))
	if c.State != certification.Certified || c.Certification.Method != certification.Recorded || c.NextDueOn != date(2026, time.September, 1) {
		t.Errorf("got %s by %s, next due %v; want the core's record, next due 2026-09-01", c.State, c.Certification.Method, c.NextDueOn)
	}
}

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*certification.Rules)
		ok   bool
	}{
		{"default", func(*certification.Rules) {}, true},
		{"no interval", func(r *certification.Rules) { r.IntervalMonths = 0 }, false},
		{"window longer than the interval", func(r *certification.Rules) { r.OpenDays = 400 }, false},
		{"negative grace", func(r *certification.Rules) { r.GraceDays = -1 }, false},
		{"no suspension delay", func(r *certification.Rules) { r.SuspendAfterDays = 0 }, false},
		{"reminder before the window", func(r *certification.Rules) { r.RemindDays = []int{90} }, false},
		{"reminder twice", func(r *certification.Rules) { r.RemindDays = []int{7, 7} }, false},
		{"no reminders", func(r *certification.Rules) { r.RemindDays = nil }, true},
	}
	for _, tt := range tests {
		r := certification.DefaultRules()
		tt.edit(&r)
		if err := r.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: got %v; want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// pensionCore is the business core as CorePensioners reads it.
type pensionCore map[domain.IDNumber]insured.Person

func (c pensionCore) Person(_ context.Context, id domain.IDNumber) (insured.Person, error) {
	p, ok := c[id]
	if !ok {
		return p, domain.Errorf(domain.NotFound, "未找到该人员")
	}
	return p, nil
}

func (c pensionCore) PensionBenefit(_ context.Context, id domain.IDNumber) (insured.PensionBenefit, error) {
	if c[id].Status != insured.Retired {
		return insured.PensionBenefit{}, domain.Errorf(domain.NotFound, "未找到待遇信息")
	}
	return insured.PensionBenefit{RetiredOn: date(2015, time.May, 1)}, nil
}

func TestCorePensioners(t *testing.T) {
	core := pensionCore{personID(1): {Status: insured.Retired}, personID(2): {Status: insured.Employed}}
	tests := []struct {
		person  domain.IDNumber
		retired bool
		code    domain.Code
	}{{personID(1), true, ""}, {personID(2), false, ""}, {personID(3), false, domain.NotFound}}
	for _, tt := range tests {
		p, err := certification.CorePensioners{Core: core}.Pensioner(context.Background(), tt.person)
		if p.Retired != tt.retired || domain.ErrorCode(err) != tt.code {
			t.Errorf("%s: got retired=%v, %v; want %v, %q", tt.person, p.Retired, err, tt.retired, tt.code)
		}
		if tt.retired && !p.RetiredOn.Equal(date(2015, time.May, 1)) {
			t.Errorf("%s: retired on %v; want 2015-05-01", tt.person, p.RetiredOn)
		}
	}
}
