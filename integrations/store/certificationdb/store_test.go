package certificationdb_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/certificationdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// sealer is shared by every instance a test starts, as a deployment's keys are.
var sealer = smcrypto.Ephemeral()

var ctx = context.Background()

// personID returns the i-th synthetic Dandong citizen, with a valid check digit.
func personID(i int) domain.IDNumber {
	first17 := fmt.Sprintf("21060219500101%03d", i%1000)
	return domain.IDNumber(first17 + string(domain.IDCheckDigit(first17)))
}

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, domain.Beijing)
}
func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, domain.Beijing) }

// cycle returns a due cycle of person i with the given id and check time.
func cycle(t testing.TB, i, seq int, id string, check time.Time) certification.Cycle {
	t.Helper()
	p := personID(i)
	sealed, err := privacy.SealID(sealer, p)
	if err != nil {
		t.Fatal(err)
	}
	due := date(2026, time.March, 15)
	return certification.Cycle{ID: id, PersonRef: privacy.IDIndex(sealer, p), PersonSealed: sealed,
		PersonDisplay: "王* " + p.Masked(), Seq: seq, Year: 2026, OpensOn: due.AddDate(0, 0, -60), DueOn: due,
		OverdueOn: date(2026, time.March, 26), SuspendOn: date(2026, time.April, 15), State: certification.Due,
		NextCheck: check, CreatedAt: at(2026, time.February, 1), UpdatedAt: at(2026, time.February, 1)}
}

// TestStore runs the Store contract on both dialects. The cases share one
// database per dialect, to keep the package fast, so each uses its own
// people and ids, and the cases that list due work use dates of 2001.
func TestStore(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(*testing.T, *certificationdb.Store)
	}{
		{"round trip", testCycleRoundTrip},
		{"not found and conflict", testNotFoundAndConflict},
		{"update over the version read", testUpdateOnlyOverTheVersionRead},
		{"open the next cycle once", testOpenAddsTheNextCycleOnce},
		{"due checks in pages", testDueChecksPagesInOrder},
		{"reminders claimed once", testRemindersAreClaimedOnce},
		{"event outbox", testEventOutbox},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st := certificationdb.New(db)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) { c.run(t, st) })
		}
	})
}

func testCycleRoundTrip(t *testing.T, st *certificationdb.Store) {
	c := cycle(t, 1, 1, "rt1", at(2026, time.February, 13))
	if err := st.Insert(ctx, c); err != nil {
		t.Fatalf("Insert: %v", err)
	}
	son := personID(100)
	sealedSon, _ := privacy.SealID(sealer, son)
	c.State, c.OverdueAt, c.SuspendedAt = certification.Resumed, at(2026, time.March, 26), at(2026, time.April, 15)
	c.Certification = &certification.Certification{At: time.Date(2026, 6, 3, 9, 30, 15, 123e6, domain.Beijing),
		Method: certification.AppFace, Channel: domain.App, Evidence: "face-123",
		Actor: certification.ActorRecord{Kind: certification.Relative, Ref: privacy.IDIndex(sealer, son),
			Sealed: sealedSon, Display: "王** " + son.Masked(), Relation: certification.Child}}
	c.NextCheck, c.UpdatedAt = date(2027, time.April, 4), at(2026, time.June, 3)
	if ok, err := st.Update(ctx, c, nil); !ok || err != nil {
		t.Fatalf("Update: got %v, %v; want true", ok, err)
	}
	c.Version++
	for name, get := range map[string]func() (certification.Cycle, error){
		"Latest": func() (certification.Cycle, error) { return st.Latest(ctx, c.PersonRef) },
		"Cycle":  func() (certification.Cycle, error) { return st.Cycle(ctx, c.ID) },
	} {
		got, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, c) {
			t.Errorf("%s:\n got %+v %+v\nwant %+v %+v", name, got, got.Certification, c, c.Certification)
		}
	}
}

func testNotFoundAndConflict(t *testing.T, st *certificationdb.Store) {
	if _, err := st.Latest(ctx, "nobody"); domain.ErrorCode(err) != domain.NotFound {
		t.Errorf("Latest of nobody: got %v; want NotFound", err)
	}
	if _, err := st.Cycle(ctx, "nothing"); domain.ErrorCode(err) != domain.NotFound {
		t.Errorf("Cycle of nothing: got %v; want NotFound", err)
	}
	c := cycle(t, 2, 0, "nf0", time.Time{})
	st.Insert(ctx, c)
	c.ID = "nf0-again"
	if err := st.Insert(ctx, c); domain.ErrorCode(err) != domain.Conflict {
		t.Errorf("second cycle 0 of a person: got %v; want Conflict", err)
	}
}

func testUpdateOnlyOverTheVersionRead(t *testing.T, st *certificationdb.Store) {
	c := cycle(t, 3, 1, "uv1", at(2026, time.February, 13))
	st.Insert(ctx, c)
	ev := certification.Event{ID: "uv-e1", CycleID: c.ID, Kind: certification.EventSuspended, At: at(2026, time.April, 15), NextAttempt: at(2026, time.April, 15)}
	moved := c
	moved.State = certification.Overdue
	if ok, err := st.Update(ctx, moved, nil); !ok || err != nil {
		t.Fatalf("first Update: got %v, %v; want true", ok, err)
	}
	stale := c
	stale.State = certification.Suspended
	if ok, err := st.Update(ctx, stale, []certification.Event{ev}); ok || err != nil {
		t.Fatalf("Update over a stale version: got %v, %v; want false", ok, err)
	}
	got, _ := st.Cycle(ctx, c.ID)
	if got.State != certification.Overdue || got.Version != 1 {
		t.Errorf("after the stale update: got %s v%d; want overdue v1", got.State, got.Version)
	}
	if evs, _ := st.Unforwarded(ctx, c.ID); len(evs) != 0 {
		t.Errorf("events of the refused update: got %+v; want none", evs)
	}
}

func testOpenAddsTheNextCycleOnce(t *testing.T, st *certificationdb.Store) {
	prev := cycle(t, 4, 0, "op0", at(2026, time.January, 14))
	prev.State = certification.Certified
	st.Insert(ctx, prev)
	next := cycle(t, 4, 1, "op1", at(2026, time.February, 13))
	if err := st.Open(ctx, prev, next); err != nil {
		t.Fatalf("Open: %v", err)
	}
	other := next
	other.ID = "op1-other"
	if err := st.Open(ctx, prev, other); domain.ErrorCode(err) != domain.Conflict {
		t.Errorf("second Open: got %v; want Conflict", err)
	}
	latest, _ := st.Latest(ctx, prev.PersonRef)
	p, _ := st.Cycle(ctx, prev.ID)
	if latest.ID != next.ID || !p.NextCheck.IsZero() {
		t.Errorf("got latest %s, previous next check %v; want op1 and none", latest.ID, p.NextCheck)
	}
}

func testDueChecksPagesInOrder(t *testing.T, st *certificationdb.Store) {
	// 2001: before every other subtest's checks, which share the database.
	base := at(2001, time.February, 13)
	checks := map[string]time.Time{
		"dc-a": base.Add(2 * time.Hour), "dc-b": base, "dc-c": base, "dc-d": base.Add(time.Millisecond),
		"dc-e": base.Add(48 * time.Hour), // not yet
	}
	i := 10
	for id, check := range checks {
		i++
		st.Insert(ctx, cycle(t, i, 1, id, check))
	}
	st.Insert(ctx, cycle(t, 19, 1, "dc-f", time.Time{})) // nothing to check
	now := base.Add(3 * time.Hour)
	var got []string
	var cur certification.CheckCursor
	for range 5 {
		page, err := st.DueChecks(ctx, now, cur, 2)
		if err != nil {
			t.Fatalf("DueChecks: %v", err)
		}
		for _, c := range page {
			got = append(got, c.ID)
		}
		if len(page) < 2 {
			break
		}
		cur = certification.CheckCursor{At: page[1].NextCheck, ID: page[1].ID}
	}
	if want := []string{"dc-b", "dc-c", "dc-d", "dc-a"}; !slices.Equal(got, want) {
		t.Errorf("got %v; want %v", got, want)
	}
}

func testRemindersAreClaimedOnce(t *testing.T, st *certificationdb.Store) {
	now := at(2026, time.February, 13)
	steps := []struct {
		do   func() (bool, error)
		want bool
	}{
		{func() (bool, error) { return st.ClaimReminder(ctx, "rm1", "due_30", now) }, true},
		{func() (bool, error) { return st.ClaimReminder(ctx, "rm1", "due_30", now) }, false},
		{func() (bool, error) { return st.ClaimReminder(ctx, "rm1", "due_7", now) }, true},
		{func() (bool, error) { return true, st.ReleaseReminder(ctx, "rm1", "due_30") }, true},
		{func() (bool, error) { return st.ClaimReminder(ctx, "rm1", "due_30", now) }, true},
	}
	for i, s := range steps {
		if got, err := s.do(); got != s.want || err != nil {
			t.Errorf("step %d: got %v, %v; want %v", i, got, err, s.want)
		}
	}
}

func testEventOutbox(t *testing.T, st *certificationdb.Store) {
	// 2001: before every other subtest's events, which share the database.
	now := at(2001, time.April, 15)
	c := cycle(t, 5, 1, "ob1", now)
	st.Insert(ctx, c)
	c.State, c.SuspendedAt = certification.Suspended, now
	events := []certification.Event{
		{ID: "ob-e1", CycleID: "ob1", Kind: certification.EventSuspended, At: now, NextAttempt: now.Add(time.Minute)},
		{ID: "ob-e2", CycleID: "ob1", Kind: certification.EventResumed, At: now.Add(time.Second), NextAttempt: now.Add(time.Minute)},
	}
	if ok, err := st.Update(ctx, c, events); !ok || err != nil {
		t.Fatalf("Update: %v, %v", ok, err)
	}
	if ids, _ := st.RetryDue(ctx, now, 10); len(ids) != 0 {
		t.Errorf("RetryDue within the lease: got %v; want none", ids)
	}
	st.ForwardFailed(ctx, "ob-e1", now.Add(2*time.Minute), "综合柜员制平台暂时无法访问")
	ids, _ := st.RetryDue(ctx, now.Add(5*time.Minute), 10)
	evs, _ := st.Unforwarded(ctx, "ob1")
	if !slices.Equal(ids, []string{"ob1"}) || len(evs) != 2 || evs[0].ID != "ob-e1" || evs[0].Attempts != 1 || evs[1].Kind != certification.EventResumed {
		t.Fatalf("after a failure: got retry %v, events %+v; want ob1 with ob-e1 (1 attempt), ob-e2", ids, evs)
	}
	st.Forwarded(ctx, "ob-e1", now)
	st.Forwarded(ctx, "ob-e2", now)
	ids, _ = st.RetryDue(ctx, now.Add(time.Hour), 10)
	evs, _ = st.Unforwarded(ctx, "ob1")
	if len(ids) != 0 || len(evs) != 0 {
		t.Errorf("after forwarding: got retry %v, events %+v; want none", ids, evs)
	}
}
