package ratingdb_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func TestUnratedApplicationsAreRemindedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{RemindAfter: 24 * time.Hour})
		ctx := context.Background()
		finished := friday.Add(-time.Hour)
		unrated := w.completed("A1", alice)
		rated := w.completed("A2", bob)
		withdrawn := w.completed("A3", alice)
		withdrawn.Status = acceptance.StatusWithdrawn
		for _, f := range []rating.Facts{unrated, rated, withdrawn, unrated} {
			if err := w.svc.Completed(ctx, f); err != nil {
				t.Fatalf("Completed %s: %v", f.ApplicationID, err)
			}
		}
		inProgress := unrated
		inProgress.Status = acceptance.StatusInProgress
		wantCode(t, "Completed while in progress", w.svc.Completed(ctx, inProgress), domain.Invalid)
		w.rate(t, "A2", bob, rating.StageCompleted, rating.Satisfied)

		runs := []struct {
			name string
			now  time.Time
			want int
		}{
			{"before the delay", finished.Add(23 * time.Hour), 0},
			{"after the delay", finished.Add(24 * time.Hour), 1},
			{"again", finished.Add(48 * time.Hour), 0},
		}
		for _, r := range runs {
			n, err := w.svc.RemindUnrated(ctx, r.now)
			if err != nil || n != r.want {
				t.Errorf("%s: got %d sent, %v; want %d", r.name, n, err, r.want)
			}
		}
		if got := w.sent.list(); !slices.Equal(got, []string{"A1"}) {
			t.Errorf("reminded %v; want only the unrated A1, once", got)
		}
	})
}

// A sender that is down gets the reminder again on the next run; one that
// refuses for good does not.
func TestReminderRetriedOnlyWhenSenderDown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		if err := w.svc.Completed(ctx, w.completed("A1", alice)); err != nil {
			t.Fatal(err)
		}
		later := friday.Add(48 * time.Hour)
		w.sent.fail = domain.Errorf(domain.Unavailable, "消息服务暂时不可用")
		n, err := w.svc.RemindUnrated(ctx, later)
		if n != 0 || !domain.IsCode(err, domain.Unavailable) {
			t.Errorf("sender down: got %d, %v; want 0 and Unavailable", n, err)
		}
		w.sent.fail = nil
		if n, err := w.svc.RemindUnrated(ctx, later); n != 1 || err != nil {
			t.Errorf("sender back: got %d, %v; want 1 sent", n, err)
		}

		if err := w.svc.Completed(ctx, w.completed("A2", bob)); err != nil {
			t.Fatal(err)
		}
		w.sent.fail = domain.Errorf(domain.NotFound, "申请人未绑定消息渠道")
		if n, err := w.svc.RemindUnrated(ctx, later); n != 0 || err == nil {
			t.Errorf("refused for good: got %d, %v; want 0 and the error reported", n, err)
		}
		w.sent.fail = nil
		if n, err := w.svc.RemindUnrated(ctx, later); n != 0 || err != nil {
			t.Errorf("after a refusal: got %d, %v; want nothing more sent", n, err)
		}
	})
}

// Several instances reminding at once still remind each applicant once.
func TestConcurrentRunsRemindOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		const apps = 20
		for i := range apps {
			if err := w.svc.Completed(ctx, w.completed(fmt.Sprintf("A%02d", i), alice)); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if _, err := w.svc.RemindUnrated(ctx, friday.Add(48*time.Hour)); err != nil {
					t.Errorf("RemindUnrated: %v", err)
				}
			})
		}
		wg.Wait()
		got := w.sent.list()
		slices.Sort(got)
		distinct := len(slices.Compact(slices.Clone(got)))
		if len(got) != apps || distinct != apps {
			t.Errorf("got %d reminders for %d distinct applications; want %d, one each", len(got), distinct, apps)
		}
	})
}
