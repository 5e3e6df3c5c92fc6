package insurance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/prometheus/client_golang/prometheus"
)

// asOf pins the day the synthetic data describes.
var asOf = time.Date(2025, 6, 18, 10, 0, 0, 0, domain.Beijing)

// fixture is a simulator on a loopback port and a production client of it.
type fixture struct {
	sim    *sim.Sim
	url    string
	client *insurance.Client
	people map[string]sim.SamplePerson // by situation: 在职, 退休, 失业, 灵活就业, 工伤
}

// newFixture starts a simulator with faults and a client with policy.
func newFixture(tb testing.TB, faults simulator.Faults, policy remote.Policy) *fixture {
	tb.Helper()
	s := sim.New(sim.Config{Seed: 2025, AsOf: asOf, Faults: faults})
	srv, err := simulator.Serve("127.0.0.1:0", s)
	if err != nil {
		tb.Fatal(err)
	}
	c := insurance.New(insurance.Config{BaseURL: srv.URL(), Policy: policy}, prometheus.NewRegistry())
	tb.Cleanup(func() {
		c.Close()
		srv.Close(context.Background())
	})
	f := &fixture{sim: s, url: srv.URL(), client: c, people: map[string]sim.SamplePerson{}}
	for _, p := range s.Sample(25) {
		kind := p.Status
		if p.WorkInjury {
			kind = "工伤"
		}
		if _, seen := f.people[kind]; !seen {
			f.people[kind] = p
		}
	}
	return f
}

// id returns the ID number of the sample person in situation kind.
func (f *fixture) id(tb testing.TB, kind string) domain.IDNumber {
	tb.Helper()
	p, ok := f.people[kind]
	if !ok {
		tb.Fatalf("no sample person %s", kind)
	}
	id, err := domain.ParseIDNumber(p.ID)
	if err != nil {
		tb.Fatalf("sample ID %s: %v", p.ID, err)
	}
	return id
}

// fastPolicy keeps fault tests short: small timeouts and backoff.
func fastPolicy() remote.Policy {
	return remote.Policy{Timeout: 2 * time.Second, Retries: 2, BackoffBase: time.Millisecond,
		BackoffMax: 5 * time.Millisecond, BreakerFailures: 5, BreakerOpenFor: time.Minute, BreakerProbes: 1}
}

// unknownID is a valid Beijing ID number the simulator never issues.
const unknownID = domain.IDNumber("11010519491231002X")

func wantCode(tb testing.TB, err error, code domain.Code) *domain.Error {
	tb.Helper()
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != code {
		tb.Fatalf("error %v; want a *domain.Error %s", err, code)
	}
	if de.Message == "" {
		tb.Errorf("error %s has no message for the citizen", code)
	}
	return de
}

func TestPerson(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	for _, kind := range []string{"在职", "退休", "失业", "灵活就业"} {
		t.Run(kind, func(t *testing.T) {
			id := f.id(t, kind)
			p, err := f.client.Person(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != id || p.Status.Label() != kind || domain.MaskName(p.Name) != f.people[kind].Name {
				t.Errorf("got %s %s %s; want %s %s %s", p.ID, p.Status.Label(), p.Name, id, kind, f.people[kind].Name)
			}
			if !p.BirthDate.Equal(id.BirthDate()) || (p.Gender == insured.Male) != id.Male() {
				t.Errorf("birth %v gender %s disagree with ID %s", p.BirthDate, p.Gender, id)
			}
			if hasUnit := p.UnitCode != ""; hasUnit != (f.people[kind].UnitCode != "") || !p.InsuredSince.Valid() {
				t.Errorf("unit %q, insured since %v", p.UnitCode, p.InsuredSince)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		_, err := f.client.Person(ctx, unknownID)
		if de := wantCode(t, err, domain.NotFound); de.Message != "未查询到该人员的参保信息" {
			t.Errorf("message %q", de.Message)
		}
	})
}

func TestOverview(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	tests := []struct {
		kind    string
		types   int
		pension insured.CoverageStatus
	}{
		{"在职", 4, insured.Paying},
		{"退休", 0, insured.Terminated},
		{"失业", 4, insured.Suspended},
		{"灵活就业", 2, insured.Paying},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			o, err := f.client.Overview(ctx, f.id(t, tt.kind))
			if err != nil {
				t.Fatal(err)
			}
			if tt.types != 0 && len(o.Coverages) != tt.types {
				t.Errorf("%d coverages; want %d", len(o.Coverages), tt.types)
			}
			c, ok := o.Coverage(insured.PensionInsurance)
			if !ok || c.Status != tt.pension {
				t.Fatalf("pension coverage %+v; want status %s", c, tt.pension)
			}
			if (c.Status == insured.Paying) != (c.Base > 0) {
				t.Errorf("pension %s with base %s", c.Status, c.Base.Yuan())
			}
		})
	}
	_, err := f.client.Overview(ctx, unknownID)
	wantCode(t, err, domain.NotFound)
}

func TestContributions(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	id := f.id(t, "在职")
	page, err := f.client.Contributions(ctx, id, asOf.Year())
	if err != nil {
		t.Fatal(err)
	}
	if page.LastYear != asOf.Year() || page.FirstYear > page.LastYear || len(page.Records) < 4 {
		t.Fatalf("years %d..%d, %d records", page.FirstYear, page.LastYear, len(page.Records))
	}
	paid := 0
	for _, r := range page.Records {
		if r.Month.Year() != asOf.Year() || r.Base <= 0 || r.Total() <= 0 {
			t.Errorf("record %+v", r)
		}
		if r.Paid && r.Month == insured.MonthOf(asOf) {
			t.Errorf("record %+v: the current month is assessed, not yet paid", r)
		}
		if r.Paid {
			paid++
		}
	}
	if paid == 0 {
		t.Error("no month of this year is paid")
	}
	empty, err := f.client.Contributions(ctx, id, 1950)
	if err != nil || len(empty.Records) != 0 {
		t.Errorf("1950: %d records, %v; want none", len(empty.Records), err)
	}
	_, err = f.client.Contributions(ctx, id, 1800)
	if de := wantCode(t, err, domain.Invalid); len(de.Fields) != 1 || de.Fields[0].Field != "year" {
		t.Errorf("fields %+v; want year", de.Fields)
	}
}

func TestPensionAccount(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	a, err := f.client.PensionAccount(context.Background(), f.id(t, "在职"))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Years) == 0 || a.Balance != a.Years[len(a.Years)-1].Balance || a.PaidMonths == 0 {
		t.Fatalf("account %+v", a)
	}
	var balance domain.Fen
	for _, y := range a.Years {
		balance += y.Credited + y.Interest - y.PaidOut
		if y.Balance != balance {
			t.Errorf("%d: balance %s; the lines add up to %s", y.Year, y.Balance.Yuan(), balance.Yuan())
		}
	}
}

func TestPensionBenefitAndPayments(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	id := f.id(t, "退休")
	b, err := f.client.PensionBenefit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var sum domain.Fen
	for _, c := range b.Components {
		sum += c.Amount
	}
	if sum != b.Monthly || b.Monthly <= 0 || !b.Start.Valid() || b.Bank == "" {
		t.Errorf("benefit %+v: components sum to %s", b, sum.Yuan())
	}
	pays, err := f.client.PensionPayments(ctx, id, asOf.Year())
	if err != nil {
		t.Fatal(err)
	}
	if len(pays) == 0 || pays[len(pays)-1].Amount != b.Monthly {
		t.Errorf("payments %+v; want this year's at %s", pays, b.Monthly.Yuan())
	}
	_, err = f.client.PensionBenefit(ctx, f.id(t, "在职"))
	if de := wantCode(t, err, domain.NotFound); de.Message != "未查询到该人员的养老待遇信息" {
		t.Errorf("message %q", de.Message)
	}
	if none, err := f.client.PensionPayments(ctx, f.id(t, "在职"), asOf.Year()); err != nil || len(none) != 0 {
		t.Errorf("employed person's payments: %v, %v; want none", none, err)
	}
}

func TestWorkInjuries(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	injuries, err := f.client.WorkInjuries(ctx, f.id(t, "工伤"))
	if err != nil {
		t.Fatal(err)
	}
	if len(injuries) != 1 {
		t.Fatalf("%d injuries; want 1", len(injuries))
	}
	in := injuries[0]
	if in.RecognizedOn.Before(in.InjuredOn) || in.DecisionNo == "" || in.UnitCode == "" || len(in.Benefits) == 0 {
		t.Errorf("injury %+v", in)
	}
	none, err := f.client.WorkInjuries(ctx, f.id(t, "灵活就业"))
	if err != nil || len(none) != 0 {
		t.Errorf("flexible worker's injuries: %v, %v; want none", none, err)
	}
}

func TestUnemploymentClaims(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	claims, err := f.client.UnemploymentClaims(ctx, f.id(t, "失业"))
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != 1 || claims[0].Monthly <= 0 || claims[0].PaidMonths != len(claims[0].Payments) {
		t.Fatalf("claims %+v", claims)
	}
	none, err := f.client.UnemploymentClaims(ctx, f.id(t, "在职"))
	if err != nil || len(none) != 0 {
		t.Errorf("employed person's claims: %v, %v; want none", none, err)
	}
}

func TestBaseTiers(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	id := f.id(t, "灵活就业")
	o, err := f.client.BaseTiers(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Tiers) != 9 || !o.Offers(o.Current) || o.Tiers[0].Percent != 60 || o.Tiers[8].Percent != 300 {
		t.Fatalf("options %+v", o)
	}
	for _, tier := range o.Tiers {
		if want := o.AverageWage * domain.Fen(tier.Percent) / 100; tier.Base != want {
			t.Errorf("tier %d%%: base %s; want %s", tier.Percent, tier.Base.Yuan(), want.Yuan())
		}
	}
	target := 300
	if o.Current == 300 {
		target = 60
	}
	changed, err := f.client.ChangeBaseTier(ctx, id, target)
	if err != nil || changed.Current != target {
		t.Fatalf("ChangeBaseTier(%d): current %d, %v", target, changed.Current, err)
	}
	again, err := f.client.ChangeBaseTier(ctx, id, target) // a retry changes nothing
	if err != nil || again.Current != target {
		t.Fatalf("repeated ChangeBaseTier(%d): current %d, %v", target, again.Current, err)
	}
	ov, err := f.client.Overview(ctx, id)
	if c, _ := ov.Coverage(insured.PensionInsurance); err != nil || c.Base != o.AverageWage*domain.Fen(target)/100 {
		t.Errorf("pension base after the change: %s, %v; want %d%% of %s", c.Base.Yuan(), err, target, o.AverageWage.Yuan())
	}
	_, err = f.client.ChangeBaseTier(ctx, id, 65)
	if de := wantCode(t, err, domain.Invalid); len(de.Fields) != 1 || de.Fields[0].Field != "percent" {
		t.Errorf("fields %+v; want percent", de.Fields)
	}
	_, err = f.client.BaseTiers(ctx, f.id(t, "在职"))
	wantCode(t, err, domain.Rejected)
}

func TestUnit(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	employee := f.people["在职"]
	code := domain.CreditCode(employee.UnitCode)
	u, err := f.client.Unit(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if u.Code != code || u.Name == "" || u.InsuredCount < 1 || !u.Since.Valid() || u.LegalRep == "" {
		t.Errorf("unit %+v", u)
	}
	if !onRoll(t, f.client, code, u.InsuredCount, employee.ID) {
		t.Errorf("unit %s's roll of %d does not list its employee", code, u.InsuredCount)
	}
	_, err = f.client.Unit(ctx, "91210600MA0000000X")
	if de := wantCode(t, err, domain.NotFound); de.Message != "未查询到该单位的参保信息" {
		t.Errorf("message %q", de.Message)
	}
	_, err = f.client.UnitStaff(ctx, code, 1, insured.MaxPageSize+1)
	wantCode(t, err, domain.Invalid)
}

// onRoll pages through a unit's roll looking for the person with id.
func onRoll(t *testing.T, c *insurance.Client, code domain.CreditCode, total int, id string) bool {
	t.Helper()
	for page := 1; (page-1)*insured.MaxPageSize < total; page++ {
		p, err := c.UnitStaff(context.Background(), code, page, insured.MaxPageSize)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != total {
			t.Fatalf("page %d says %d on the roll; the unit says %d", page, p.Total, total)
		}
		for _, m := range p.Staff {
			if m.ID.Raw() == id {
				return true
			}
		}
	}
	return false
}

func TestUnitFees(t *testing.T) {
	f := newFixture(t, simulator.Faults{}, fastPolicy())
	ctx := context.Background()
	code := domain.CreditCode(f.people["在职"].UnitCode)
	rates, err := f.client.UnitRates(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if len(rates.Rates) != 4 || rates.Rates[0].Type != insured.PensionInsurance ||
		rates.Rates[0].Unit.String() != "16%" || rates.Rates[0].Personal.String() != "8%" {
		t.Errorf("rates %+v; want pension first at 16%% + 8%%", rates.Rates)
	}
	assessments, err := f.client.UnitAssessments(ctx, code, asOf.Year()-1)
	if err != nil {
		t.Fatal(err)
	}
	paid := 0
	for _, a := range assessments {
		var total domain.Fen
		for _, l := range a.Lines {
			total += l.UnitPart + l.Personal
		}
		if total != a.Total || a.Headcount < 1 {
			t.Errorf("%v: total %s; lines sum to %s", a.Month, a.Total.Yuan(), total.Yuan())
		}
		if a.Status == insured.Settled {
			paid++
		}
	}
	payments, err := f.client.UnitPayments(ctx, code, asOf.Year()-1)
	if err != nil || len(payments) != paid {
		t.Errorf("%d payments, %v; want one per paid assessment (%d)", len(payments), err, paid)
	}
	_, err = f.client.UnitAssessments(ctx, "91210600MA0000000X", 2024)
	wantCode(t, err, domain.NotFound)
}
