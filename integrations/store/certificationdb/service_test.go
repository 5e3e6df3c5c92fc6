package certificationdb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/certificationdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// outside is everything around the Service: the core's pensioners, the
// e-card platform's face results, the counter core and the SMS gateway.
type outside struct {
	mu        sync.Mutex
	faces     map[string]ecard.FaceResult
	notices   []certification.Notice
	reminders []certification.Reminder
}

func (o *outside) Pensioner(_ context.Context, id domain.IDNumber) (certification.Pensioner, error) {
	return certification.Pensioner{Name: "王秀英", Retired: true, LastCertified: at(2025, time.March, 15)}, nil
}

func (o *outside) face(person domain.IDNumber) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	tok := fmt.Sprintf("face-%d", len(o.faces)+len(o.notices)+1)
	o.faces[tok] = ecard.FaceResult{Person: person, Passed: true, At: time.Now()}
	return tok
}

func (o *outside) VerifyFace(_ context.Context, token string) (ecard.FaceResult, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.faces[token]
	if !ok {
		return r, domain.Errorf(domain.Rejected, "人脸识别结果已失效，请重新识别")
	}
	delete(o.faces, token)
	return r, nil
}

func (o *outside) Forward(_ context.Context, n certification.Notice) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.notices = append(o.notices, n)
	return nil
}

func (o *outside) Remind(_ context.Context, r certification.Reminder) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reminders = append(o.reminders, r)
	return nil
}

func (o *outside) counts() (notices, reminders int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.notices), len(o.reminders)
}

// instance is one BFF instance's Service over db at a settable time.
type instance struct {
	svc *certification.Service
	mu  sync.Mutex
	now time.Time
}

func newInstance(t testing.TB, db *store.DB, o *outside, now time.Time) *instance {
	t.Helper()
	in := &instance{now: now}
	svc, err := certification.NewService(certification.Config{Store: certificationdb.New(db), Pensioners: o, Faces: o,
		Forwarder: o, Reminders: o, Sealer: sealer, Now: in.clock,
		Rules: certification.Rules{IntervalMonths: 12, OpenDays: 60, GraceDays: 10, SuspendAfterDays: 20, RemindDays: []int{30, 7}}})
	if err != nil {
		t.Fatal(err)
	}
	in.svc = svc
	return in
}

func (in *instance) clock() time.Time { in.mu.Lock(); defer in.mu.Unlock(); return in.now }
func (in *instance) set(t time.Time)  { in.mu.Lock(); in.now = t; in.mu.Unlock() }

func (in *instance) sweep(t testing.TB, now time.Time) certification.SweepReport {
	t.Helper()
	in.set(now)
	rep, err := in.svc.Sweep(ctx, now)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	return rep
}

// A year of one pensioner on the real database: reminders, suspension,
// a relative's certification that resumes the pension with back pay, and
// the next year's cycle.
func TestServiceYearOnTheDatabase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := &outside{faces: map[string]ecard.FaceResult{}}
		in := newInstance(t, db, o, at(2026, time.February, 1))
		person, daughter := personID(1), personID(200)
		if c, err := in.svc.Status(ctx, person); err != nil || c.State != certification.Due || c.DueOn != date(2026, time.March, 15) {
			t.Fatalf("Status: got %s due %v, %v; want due 2026-03-15", c.State, c.DueOn, err)
		}
		for _, d := range []time.Time{at(2026, time.February, 13), at(2026, time.March, 8), at(2026, time.March, 26), at(2026, time.April, 15)} {
			in.sweep(t, d)
			in.sweep(t, d.Add(time.Hour))
		}
		in.set(at(2026, time.May, 20))
		c, err := in.svc.Certify(ctx, person, certification.KioskFace, certification.Actor{Kind: certification.Relative,
			Relative: daughter, Name: "王丽", Relation: certification.Child}, o.face(person))
		if err != nil {
			t.Fatalf("Certify: %v", err)
		}
		if c.State != certification.Resumed || !slices.Equal(c.BackPay().Months, []insured.Month{202604, 202605}) {
			t.Errorf("Certify: got %s, back pay %+v; want resumed, 202604–202605", c.State, c.BackPay())
		}
		in.sweep(t, at(2026, time.May, 21))
		if rep := in.sweep(t, at(2027, time.March, 21)); rep.Opened != 1 {
			t.Errorf("next year's window: got %+v; want one cycle opened", rep)
		}
		in.sweep(t, at(2027, time.April, 20))
		var kinds, reminded []string
		for _, n := range o.notices {
			kinds = append(kinds, string(n.Kind))
		}
		for _, r := range o.reminders {
			reminded = append(reminded, string(r.Kind))
		}
		if want := []string{"suspended", "resumed"}; !slices.Equal(kinds, want) {
			t.Errorf("forwarded: got %v; want %v", kinds, want)
		}
		if want := []string{"due_30", "due_7", "overdue", "due_30"}; !slices.Equal(reminded, want) {
			t.Errorf("reminded: got %v; want %v", reminded, want)
		}
		if n := o.notices[1]; n.ActingFor != daughter || n.Certification.Actor.Relation != certification.Child {
			t.Errorf("resumed notice: acting %s as %s; want the daughter as child", n.ActingFor, n.Certification.Actor.Relation)
		}
		assertNoRawID(t, db, person, daughter)
	})
}

// Two instances sweeping and two requests certifying at once still send
// each reminder once and forward each event once.
func TestConcurrentInstances(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		o := &outside{faces: map[string]ecard.FaceResult{}}
		start := at(2026, time.February, 1)
		a, b := newInstance(t, db, o, start), newInstance(t, db, o, start)
		const people = 6
		for i := 1; i <= people; i++ {
			if _, err := a.svc.Status(ctx, personID(i)); err != nil {
				t.Fatal(err)
			}
		}
		// Both instances read the same moment, as servers sharing NTP do: an
		// event just made is then the maker's to forward for a minute.
		now := at(2026, time.February, 13)
		a.set(now)
		b.set(now)
		var wg sync.WaitGroup
		results := make([]certification.Cycle, 2)
		for i, in := range []*instance{a, b} {
			wg.Go(func() { in.sweep(t, now) })
			wg.Go(func() {
				c, err := in.svc.Certify(ctx, personID(1), certification.AppFace, certification.Actor{Kind: certification.Self}, o.face(personID(1)))
				if err != nil {
					t.Errorf("Certify %d: %v", i, err)
				}
				results[i] = c
			})
		}
		wg.Wait()
		if results[0].Certification == nil || results[1].Certification == nil || !results[0].Certification.At.Equal(results[1].Certification.At) {
			t.Errorf("concurrent Certify: got %+v and %+v; want the same certification", results[0].Certification, results[1].Certification)
		}
		notices, reminders := o.counts()
		// Person 1 may be reminded or not, depending on who came first.
		if notices != 1 || reminders < people-1 || reminders > people {
			t.Errorf("got %d notices, %d reminders; want 1 and %d–%d", notices, reminders, people-1, people)
		}
	})
}

// assertNoRawID fails when any stored text holds one of the ID numbers.
func assertNoRawID(t *testing.T, db *store.DB, ids ...domain.IDNumber) {
	t.Helper()
	for _, table := range []string{"certification_cycle", "certification_event", "certification_reminder"} {
		rows, err := db.QueryxContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				for _, id := range ids {
					if strings.Contains(s, id.Raw()) {
						t.Errorf("%s holds a raw ID number", table)
					}
				}
			}
		}
		rows.Close()
	}
}
