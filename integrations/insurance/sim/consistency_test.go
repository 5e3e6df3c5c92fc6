package sim

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/insurance"
)

var testAsOf = time.Date(2025, 6, 18, 10, 0, 0, 0, domain.Beijing)

func newTestSim(tb testing.TB, seed uint64) *Sim {
	tb.Helper()
	return New(Config{Seed: seed, AsOf: testAsOf})
}

// personOps answers every person operation for the person with this ID,
// through the same handlers the HTTP server uses.
func personOps(s *Sim, id string) []any {
	var out []any
	for _, op := range []string{insurance.OpPerson, insurance.OpOverview, insurance.OpContributions,
		insurance.OpPensionAccount, insurance.OpPensionBenefit, insurance.OpPensionPayments,
		insurance.OpWorkInjuries, insurance.OpUnemployment, insurance.OpBaseTiers} {
		resp, fault := operations[op](s, &insurance.Request{IDNumber: id, Year: 2024})
		out = append(out, resp, fault)
	}
	return out
}

func TestSameSeedSameCity(t *testing.T) {
	a, b := newTestSim(t, 11), newTestSim(t, 11)
	for _, i := range testIndices(a, 200) {
		id := a.ids.id(i)
		if got, want := personOps(b, id), personOps(a, id); !reflect.DeepEqual(got, want) {
			t.Fatalf("person %d: two simulators with one seed disagree", i)
		}
	}
	for _, j := range []int{0, 17, a.units - 1} {
		ua, ub := a.unit(j), b.unit(j)
		if ua != ub || !reflect.DeepEqual(a.unitAssessments(&ua.unitProfile, 2024), b.unitAssessments(&ub.unitProfile, 2024)) {
			t.Fatalf("unit %d: two simulators with one seed disagree", j)
		}
	}
	if c := newTestSim(t, 12); c.ids.id(0) == a.ids.id(0) && c.unit(0).code == a.unit(0).code {
		t.Error("seeds 11 and 12 gave the same first person and unit")
	}
}

func TestPersonOnUnitRoll(t *testing.T) {
	s := newTestSim(t, 11)
	r := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		i := r.IntN(s.onRolls)
		p := s.person(i)
		resp, _ := s.opPerson(&insurance.Request{IDNumber: p.idNumber})
		code := resp.(*insurance.PersonResponse).Person.UnitCode
		u, ok := s.lookupUnit(code)
		if !ok {
			t.Fatalf("person %d: unit %q not found", i, code)
		}
		from, _ := s.roll(u.j)
		page := (i-from)/maxPageSize + 1
		staff, fault := s.opUnitStaff(&insurance.Request{CreditCode: code, Page: page, Size: maxPageSize})
		if fault != nil || !listsID(staff.(*insurance.UnitStaffResponse), p.idNumber) {
			t.Fatalf("person %d: not on page %d of unit %s's roll (fault %v)", i, page, code, fault)
		}
	}
}

func listsID(r *insurance.UnitStaffResponse, id string) bool {
	for _, m := range r.Staff {
		if m.IDNumber == id {
			return true
		}
	}
	return false
}

// TestAssessmentIsSumOfStaff checks that what a unit is assessed for a
// month is exactly what its staff's contribution records say.
func TestAssessmentIsSumOfStaff(t *testing.T) {
	s := newTestSim(t, 11)
	for _, j := range []int{3, 500, 4242} {
		u, _ := s.unitProfile(j)
		for _, y := range []int{2019, 2025} {
			want := map[string]int64{}
			from, to := s.roll(j)
			for i := from; i < to; i++ {
				p := s.profile(i)
				for _, r := range s.contributions(&p, y).Records {
					want[r.Month] += yuan(t, r.UnitPart) + yuan(t, r.Personal)
				}
			}
			got := map[string]int64{}
			for _, a := range s.unitAssessments(&u, y).Assessments {
				got[a.Month] = yuan(t, a.Total)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("unit %d, %d: assessed %v; staff records sum to %v", j, y, got, want)
			}
		}
	}
}

func yuan(tb testing.TB, s string) int64 {
	v, err := insurance.ParseYuan(s)
	if err != nil {
		tb.Fatalf("amount %q: %v", s, err)
	}
	return v
}

// TestCityShape checks the shares the package comment promises on a random
// sample of people.
func TestCityShape(t *testing.T) {
	s := newTestSim(t, 11)
	var counts [4]int
	injured, onRolls := 0, 0
	const n = 20_000
	for _, i := range testIndices(s, n) {
		p := s.profile(i)
		counts[p.status]++
		if p.unit >= 0 {
			onRolls++
			if _, ok := s.injury(&p); ok {
				injured++
			}
		}
		checkAge(t, s, &p)
	}
	share := func(k int) float64 { return float64(k) / float64(n+2) }
	checks := []struct {
		what     string
		got      float64
		min, max float64
	}{
		{"retired", share(counts[retired]), 0.20, 0.32},
		{"unemployed", share(counts[unemployed]), 0.01, 0.06},
		{"flexible", share(counts[flexible]), 0.04, 0.12},
		{"work-injured on rolls", float64(injured) / float64(onRolls), 0.008, 0.025},
	}
	for _, c := range checks {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s: %.3f of people; want %.3f..%.3f", c.what, c.got, c.min, c.max)
		}
	}
}

// checkAge fails if p's status does not fit p's age on the as-of day.
func checkAge(t *testing.T, s *Sim, p *profile) {
	t.Helper()
	age := s.today.y - p.id.birth.y
	switch {
	case p.status == retired && age < 50:
		t.Errorf("person %d retired at %d", p.i, age)
	case p.status != retired && age > 61:
		t.Errorf("person %d is %s at %d", p.i, p.status.label(), age)
	case age < 17:
		t.Errorf("person %d is insured at %d", p.i, age)
	}
}

func TestMoneyPlausible(t *testing.T) {
	s := newTestSim(t, 11)
	for _, i := range testIndices(s, 2000) {
		p := s.profile(i)
		checkBases(t, s, &p)
		l := s.ledger(&p)
		if l.balance < 0 {
			t.Errorf("person %d: account balance %d", i, l.balance)
		}
		if p.status == retired {
			checkPension(t, s, &p, &l)
		}
		for _, c := range s.unemploymentClaims(&p).Claims {
			if c.PaidMonths > c.EntitledMonths || c.PaidMonths != len(c.Payments) {
				t.Errorf("person %d: claim paid %d of %d months, %d payments", i, c.PaidMonths, c.EntitledMonths, len(c.Payments))
			}
		}
	}
}

// checkBases fails on a base outside 60%..300% of the average wage.
func checkBases(t *testing.T, s *Sim, p *profile) {
	t.Helper()
	for m := p.start; m <= s.lastPaying(p); m += 7 {
		b, avg := s.base(p, m), averageWage(m.year())
		if b < avg*59/100 || b > avg*3 {
			t.Fatalf("person %d, %s: base %d against average %d", p.i, m.yyyymm(), b, avg)
		}
	}
}

// checkPension fails on a pension that is not the sum of its parts or is
// implausible for Liaoning (300 to 15,000 yuan a month).
func checkPension(t *testing.T, s *Sim, p *profile, l *ledger) {
	t.Helper()
	r := s.pensionBenefit(p, l)
	var sum int64
	for _, c := range r.Components {
		sum += yuan(t, c.Amount)
	}
	if monthly := yuan(t, r.Monthly); sum != monthly || monthly < 30_000 || monthly > 1_500_000 {
		t.Errorf("person %d: pension %s, components sum to %d", p.i, r.Monthly, sum)
	}
}

func TestSampleSpreadsOverSituations(t *testing.T) {
	s := newTestSim(t, 11)
	sample := s.Sample(20)
	if len(sample) != 20 {
		t.Fatalf("Sample(20) gave %d people", len(sample))
	}
	kinds := map[string]bool{}
	for _, sp := range sample {
		kinds[sp.Status] = true
		if sp.WorkInjury {
			kinds["工伤"] = true
		}
		p, ok := s.lookup(sp.ID)
		if !ok || p.status.label() != sp.Status || domain.MaskName(p.name) != sp.Name {
			t.Errorf("sample %+v: lookup gives %v %s", sp, ok, p.status.label())
		}
	}
	for _, k := range []string{"在职", "退休", "失业", "灵活就业", "工伤"} {
		if !kinds[k] {
			t.Errorf("Sample(20) has nobody %s", k)
		}
	}
	if again := s.Sample(20); !reflect.DeepEqual(again, sample) {
		t.Error("Sample(20) differs between calls")
	}
}

func TestRealNameMatchesPersonOperation(t *testing.T) {
	s := New(Config{Seed: 7, People: 5000, Units: 100})
	for _, p := range s.Sample(6) {
		name, ok := s.RealName(p.ID)
		full, _ := s.lookup(p.ID)
		if !ok || name != full.name || []rune(name)[0] != []rune(p.Name)[0] {
			t.Errorf("RealName(%s) = %q, %v; want %q", p.ID[:4], name, ok, full.name)
		}
	}
	if _, ok := s.RealName("110105194912310021"); ok {
		t.Error("an ID the core never issued has a name")
	}
}
