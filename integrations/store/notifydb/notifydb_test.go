package notifydb_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/notifydb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var t0 = time.Date(2026, 5, 12, 10, 0, 0, 0, time.UTC)

// rec is a notice for person with key, enqueued at t0.
func rec(key, person string) notify.Record {
	return notify.Record{
		DedupKey: key, Kind: notify.KindProgress, CreatedAt: t0,
		To: notify.Recipient{PersonRef: person, PhoneSealed: "k1:c2VhbGVk", OpenID: "oOpenID", Channel: domain.WeChat},
		Params: notify.Params{Matter: "失业保险金申领", ApplicationID: "A1", Status: "已受理", Link: "/progress/A1",
			At: time.Date(2026, 5, 12, 17, 59, 0, 0, domain.Beijing), Amount: 1250},
	}
}

// at returns a slot function giving t and recording what it was shown.
func at(t time.Time, shown *[]time.Time) func([]time.Time) time.Time {
	return func(recent []time.Time) time.Time {
		*shown = recent
		return t
	}
}

func add(t *testing.T, s *notifydb.Store, r notify.Record, slot time.Time) bool {
	t.Helper()
	var shown []time.Time
	added, err := s.Add(context.Background(), r, t0.Add(-time.Hour), at(slot, &shown))
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func TestAddIsIdempotentAndShowsThePersonsSlots(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifydb.New(db)
		var shown []time.Time
		asked := 0
		since := t0.Add(-time.Hour)
		steps := []struct {
			rec   notify.Record
			slot  time.Time
			added bool
			shown []time.Time // nil: slot must not be asked
		}{
			{rec("old", "p1"), since, true, []time.Time{}},
			{rec("e1", "p1"), t0, true, []time.Time{}}, // "old" is not after since
			{rec("e1", "p1"), t0, false, nil},
			{rec("e2", "p1"), t0.Add(time.Minute), true, []time.Time{t0}},
			{rec("e3", "p1"), t0.Add(2 * time.Minute), true, []time.Time{t0, t0.Add(time.Minute)}},
			{rec("e4", "p2"), t0, true, []time.Time{}},
		}
		for i, st := range steps {
			shown, asked = nil, 0
			slot := at(st.slot, &shown)
			added, err := s.Add(ctx, st.rec, since, func(r []time.Time) time.Time { asked++; return slot(r) })
			if err != nil || added != st.added {
				t.Fatalf("step %d: Add = %v, %v; want %v", i, added, err, st.added)
			}
			if wantAsked := st.shown != nil; (asked == 1) != wantAsked || !sameTimes(shown, st.shown) {
				t.Errorf("step %d: slot asked %d times, shown %v; want asked %v, shown %v", i, asked, shown, wantAsked, st.shown)
			}
		}
		got, err := s.Find(ctx, "e2")
		if err != nil {
			t.Fatal(err)
		}
		want := rec("e2", "p1")
		if got.To != want.To || got.Params.Matter != want.Params.Matter || !got.Params.At.Equal(want.Params.At) ||
			got.Params.Amount != 1250 || got.State != notify.StatePending || !got.SlotAt.Equal(t0.Add(time.Minute)) ||
			!got.NextAttemptAt.Equal(got.SlotAt) || !got.CreatedAt.Equal(t0) {
			t.Errorf("Find = %+v; want %+v pending at its slot", got, want)
		}
		if _, err := s.Find(ctx, "nope"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("Find unknown: err = %v; want NotFound", err)
		}
	})
}

// Enqueues for one person queue on the person's row, so each sees the
// slots of all before it: twenty at once take twenty distinct slots.
func TestConcurrentAddsForOnePersonSeeEachOther(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := notifydb.New(db)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				_, err := s.Add(context.Background(), rec(fmt.Sprint("c", i), "p1"), t0.Add(-time.Hour),
					func(recent []time.Time) time.Time { return t0.Add(time.Duration(len(recent)) * time.Minute) })
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var slots []time.Time
		for i := range 20 {
			r, err := s.Find(context.Background(), fmt.Sprint("c", i))
			if err != nil {
				t.Fatal(err)
			}
			slots = append(slots, r.SlotAt)
		}
		slices.SortFunc(slots, time.Time.Compare)
		for i, sl := range slots {
			if want := t0.Add(time.Duration(i) * time.Minute); !sl.Equal(want) {
				t.Fatalf("slot %d = %v; want %v (every enqueue must see the others)", i, sl, want)
			}
		}
	})
}

func TestClaimLeasesDueNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifydb.New(db)
		for i := range 3 {
			add(t, s, rec(fmt.Sprint("due", i), "p1"), t0.Add(time.Duration(i)*time.Second))
		}
		add(t, s, rec("later", "p1"), t0.Add(time.Hour))

		first, err := s.Claim(ctx, t0.Add(time.Minute), 10, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if len(first) != 3 || first[0].DedupKey != "due0" || first[0].State != notify.StateSending || first[0].Attempts != 1 || first[0].Lease == "" {
			t.Fatalf("claimed %+v; want due0…due2 sending, attempt 1, leased", first)
		}
		if again, _ := s.Claim(ctx, t0.Add(time.Minute), 10, time.Minute); len(again) != 0 {
			t.Errorf("claimed %d while leased; want 0", len(again))
		}
		expired, _ := s.Claim(ctx, t0.Add(2*time.Minute+time.Second), 10, time.Minute)
		if len(expired) != 3 || expired[0].Attempts != 2 || expired[0].Lease == first[0].Lease {
			t.Errorf("after the lease: claimed %d, attempt %d; want 3 again, attempt 2, a new lease", len(expired), expired[0].Attempts)
		}
	})
}

func TestConcurrentClaimersTakeDisjointNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := notifydb.New(db)
		for i := range 40 {
			add(t, s, rec(fmt.Sprint("n", i), fmt.Sprint("p", i)), t0)
		}
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for {
					got, err := s.Claim(context.Background(), t0, 7, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					mu.Lock()
					for _, r := range got {
						seen[r.DedupKey]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		for k, n := range seen {
			if n != 1 {
				t.Errorf("%s claimed %d times; want once", k, n)
			}
		}
		if len(seen) != 40 {
			t.Errorf("claimed %d notices; want 40", len(seen))
		}
	})
}

func TestWritesNeedTheLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifydb.New(db)
		add(t, s, rec("e1", "p1"), t0)
		c, _ := s.Claim(ctx, t0, 1, time.Minute)
		if err := s.MarkInFlight(ctx, c[0].ID, "someone-else", notify.RouteSMS, t0); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("MarkInFlight without the lease: err = %v; want Conflict", err)
		}
		if err := s.MarkInFlight(ctx, c[0].ID, c[0].Lease, notify.RouteSMS, t0); err != nil {
			t.Fatal(err)
		}
		// The dispatcher dies; another claims after the lease.
		c2, _ := s.Claim(ctx, t0.Add(2*time.Minute), 1, time.Minute)
		if len(c2) != 1 || c2[0].InFlight != notify.RouteSMS {
			t.Fatalf("reclaimed %+v; want the notice with its SMS still in flight", c2)
		}
		late := notify.Settlement{State: notify.StateSent, Route: notify.RouteSMS, MessageID: "SM1", At: t0}
		if err := s.Settle(ctx, c[0].ID, c[0].Lease, late); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("Settle with a lost lease: err = %v; want Conflict", err)
		}
		review := notify.Settlement{State: notify.StateReview, Route: notify.RouteSMS, SkipWeChat: true, LastError: "可能已发出", At: t0.Add(2 * time.Minute)}
		if err := s.Settle(ctx, c2[0].ID, c2[0].Lease, review); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Find(ctx, "e1")
		if got.State != notify.StateReview || got.InFlight != "" || got.Lease != "" || !got.NextAttemptAt.IsZero() || !got.SkipWeChat || got.LastError != "可能已发出" {
			t.Errorf("after review: %+v; want review, nothing in flight, no lease, not due", got)
		}
		if c, _ := s.Claim(ctx, t0.Add(24*time.Hour), 10, time.Minute); len(c) != 0 {
			t.Errorf("claimed %d notices in review; want 0", len(c))
		}
	})
}

func TestSettleOutcomes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifydb.New(db)
		add(t, s, rec("e1", "p1"), t0)
		c, _ := s.Claim(ctx, t0, 1, time.Minute)
		retry := notify.Settlement{State: notify.StatePending, Route: notify.RouteSMS, NextAttemptAt: t0.Add(5 * time.Minute), LastError: "短信平台暂时无法访问", At: t0}
		if err := s.Settle(ctx, c[0].ID, c[0].Lease, retry); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Claim(ctx, t0.Add(4*time.Minute), 1, time.Minute); len(got) != 0 {
			t.Errorf("claimed before the retry was due")
		}
		c, _ = s.Claim(ctx, t0.Add(5*time.Minute), 1, time.Minute)
		if len(c) != 1 || c[0].Attempts != 2 || c[0].LastError != "短信平台暂时无法访问" {
			t.Fatalf("claimed %+v; want the retry, attempt 2", c)
		}
		sent := notify.Settlement{State: notify.StateSent, Route: notify.RouteWeChat, MessageID: "2000000001", At: t0.Add(5 * time.Minute)}
		if err := s.Settle(ctx, c[0].ID, c[0].Lease, sent); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Find(ctx, "e1")
		if got.State != notify.StateSent || got.Route != notify.RouteWeChat || got.MessageID != "2000000001" ||
			!got.SentAt.Equal(t0.Add(5*time.Minute)) || !got.NextAttemptAt.IsZero() {
			t.Errorf("after sending: %+v; want sent by WeChat at t0+5m, not due", got)
		}
	})
}

func TestReviewAndResolve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := notifydb.New(db)
		for _, k := range []string{"a", "b"} {
			add(t, s, rec(k, "p1"), t0)
		}
		c, _ := s.Claim(ctx, t0, 2, time.Minute)
		for _, r := range c {
			s.MarkInFlight(ctx, r.ID, r.Lease, notify.RouteSMS, t0)
			s.Settle(ctx, r.ID, r.Lease, notify.Settlement{State: notify.StateReview, Route: notify.RouteSMS, At: t0})
		}
		reviews, err := s.Reviews(ctx, 10)
		if err != nil || len(reviews) != 2 || reviews[0].DedupKey != "a" {
			t.Fatalf("Reviews = %v, %v; want a and b", reviews, err)
		}
		later := t0.Add(time.Hour)
		if err := s.Resolve(ctx, reviews[0].ID, true, later); err != nil {
			t.Fatal(err)
		}
		if err := s.Resolve(ctx, reviews[1].ID, false, later); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.Find(ctx, "a"); a.State != notify.StateSent || !a.SentAt.Equal(later) {
			t.Errorf("a resolved delivered: %s sent %v; want sent at %v", a.State, a.SentAt, later)
		}
		if again, _ := s.Claim(ctx, later, 10, time.Minute); len(again) != 1 || again[0].DedupKey != "b" || again[0].InFlight != "" {
			t.Errorf("claimable after resolving: %v; want b, nothing in flight", again)
		}
		if err := s.Resolve(ctx, reviews[0].ID, false, later); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("Resolve twice: err = %v; want NotFound", err)
		}
	})
}

func sameTimes(a, b []time.Time) bool {
	return slices.EqualFunc(a, b, time.Time.Equal)
}
