package ratingdb_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func TestBadRatingOpensRectification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		w.completed("A1", alice)
		w.completed("A2", alice)
		good, rect := w.rate(t, "A1", alice, rating.StageCompleted, rating.FairlySatisfied)
		if rect != nil {
			t.Errorf("基本满意 opened a rectification: %+v", rect)
		}
		if _, err := w.svc.Rectification(ctx, good.ID); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("rectification of a fair rating: got %v; want NotFound", err)
		}
		bad, _ := w.rate(t, "A2", alice, rating.StageCompleted, rating.Dissatisfied)
		got, err := w.svc.Rectification(ctx, bad.ID)
		if err != nil {
			t.Fatalf("rectification of a bad rating: %v", err)
		}
		// Opened Friday 16:00 with 5 working days: due by the end of next Friday.
		wantDeadline := time.Date(2026, 5, 23, 0, 0, 0, 0, domain.Beijing)
		if got.State != rating.StateOpen || got.ApplicationID != "A2" || got.Level != rating.Dissatisfied ||
			got.Office != "养老保险科" || got.Staff != "王芳（0042）" || !got.Deadline.Equal(wantDeadline) || len(got.Steps) != 0 {
			t.Errorf("got %+v; want an open rectification of A2 due %v with no steps", got, wantDeadline)
		}
	})
}

func TestRectificationPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		w.completed("A1", alice)
		bad, _ := w.rate(t, "A1", alice, rating.StageCompleted, rating.VeryDissatisfied)

		_, err := w.svc.Rectify(ctx, bad.ID, rating.ActionClose, "李明（0107）", "已办结")
		wantCode(t, "close an unanswered rectification", err, domain.Conflict)
		_, err = w.svc.Rectify(ctx, bad.ID, rating.ActionCallBack, "李明（0107）", "  ")
		wantCode(t, "call back without a note", err, domain.Invalid)

		steps := []struct {
			action rating.Action
			note   string
			want   rating.State
		}{
			{rating.ActionCallBack, "已电话回访，申请人反映窗口等候超过一小时", rating.StateCalledBack},
			{rating.ActionVerify, "经查当日叫号系统故障", rating.StateVerified},
			{rating.ActionFix, "已修复叫号系统并增设引导员", rating.StateFixed},
			{rating.ActionClose, "整改完成，申请人表示认可", rating.StateClosed},
		}
		for i, s := range steps {
			w.clock.Set(friday.Add(time.Duration(i+1) * time.Hour))
			if got := w.rectify(t, bad.ID, s.action, s.note); got.State != s.want {
				t.Errorf("after %s: got state %s; want %s", s.action, got.State, s.want)
			}
		}
		_, err = w.svc.Rectify(ctx, bad.ID, rating.ActionAppeal, "李明（0107）", "差评不实")
		wantCode(t, "appeal a closed rectification", err, domain.Conflict)

		got, err := w.svc.Rectification(ctx, bad.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != rating.StateClosed || got.Result != "整改完成，申请人表示认可" || !got.ClosedAt.Equal(friday.Add(4*time.Hour)) || got.Late() {
			t.Errorf("got %+v; want closed on time at %v with the result", got, friday.Add(4*time.Hour))
		}
		if len(got.Steps) != len(steps) {
			t.Fatalf("got %d steps; want %d", len(got.Steps), len(steps))
		}
		for i, s := range steps {
			st := got.Steps[i]
			if st.Action != s.action || st.To != s.want || st.By != "李明（0107）" || st.Note != s.note || !st.At.Equal(friday.Add(time.Duration(i+1)*time.Hour)) {
				t.Errorf("step %d: got %+v; want %s by 李明（0107） at %v", i, st, s.action, friday.Add(time.Duration(i+1)*time.Hour))
			}
		}
	})
}

func TestAppealPath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		w.completed("A1", alice)
		w.completed("A2", bob)
		upheld, _ := w.rate(t, "A1", alice, rating.StageCompleted, rating.Dissatisfied)
		unfounded, _ := w.rate(t, "A2", bob, rating.StageCompleted, rating.VeryDissatisfied)

		// Upheld: the rating stands and the rectification goes on from where it was.
		w.rectify(t, upheld.ID, rating.ActionCallBack, "已回访")
		w.rectify(t, upheld.ID, rating.ActionAppeal, "申请人所述与监控不符")
		if got := w.rectify(t, upheld.ID, rating.ActionUphold, "经复核差评成立"); got.State != rating.StateCalledBack {
			t.Errorf("after uphold: got state %s; want %s", got.State, rating.StateCalledBack)
		}
		_, err := w.svc.Rectify(ctx, upheld.ID, rating.ActionAppeal, "李明（0107）", "再申诉")
		wantCode(t, "second appeal", err, domain.Conflict)
		w.rectify(t, upheld.ID, rating.ActionVerify, "属实")
		w.rectify(t, upheld.ID, rating.ActionExplain, "已向申请人解释政策")
		w.rectify(t, upheld.ID, rating.ActionClose, "申请人认可解释")

		// Unfounded: closed, and the rating leaves the statistics.
		w.rectify(t, unfounded.ID, rating.ActionAppeal, "该申请人当日未到窗口办理")
		got := w.rectify(t, unfounded.ID, rating.ActionUnfounded, "经复核差评不实")
		if got.State != rating.StateClosed || !got.Unfounded || got.Result != "经复核差评不实" {
			t.Errorf("after unfounded: got %+v; want closed as unfounded with the review", got)
		}
		stats, err := w.svc.Stats(ctx, rating.StatsQuery{By: rating.ByOffice, From: friday, To: friday})
		if err != nil || len(stats) != 1 {
			t.Fatalf("Stats: got %+v, %v; want one office", stats, err)
		}
		if s := stats[0]; s.Total() != 1 || s.Bad() != 1 || s.Unfounded != 1 {
			t.Errorf("stats: got total %d, bad %d, unfounded %d; want 1, 1, 1", s.Total(), s.Bad(), s.Unfounded)
		}
		rs, _ := w.store.Ratings(ctx, "A2")
		if len(rs) != 1 || !rs[0].Excluded {
			t.Errorf("unfounded rating: got %+v; want it kept and excluded", rs)
		}
	})
}

// Two staff acting on one rectification at once: one wins, the other is told.
func TestConcurrentStepsOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		w.completed("A1", alice)
		bad, _ := w.rate(t, "A1", alice, rating.StageCompleted, rating.Dissatisfied)
		var wg sync.WaitGroup
		codes := make([]domain.Code, 6)
		for i := range codes {
			wg.Go(func() {
				_, err := w.svc.Rectify(context.Background(), bad.ID, rating.ActionCallBack, "李明（0107）", "已回访")
				codes[i] = domain.ErrorCode(err)
			})
		}
		wg.Wait()
		if n := len(slices.DeleteFunc(slices.Clone(codes), func(c domain.Code) bool { return c != "" })); n != 1 {
			t.Errorf("got %d successful call-backs (%v); want 1, the rest Conflict", n, codes)
		}
		got, _ := w.svc.Rectification(context.Background(), bad.ID)
		if len(got.Steps) != 1 {
			t.Errorf("got %d steps recorded; want 1", len(got.Steps))
		}
	})
}

// A rectification opened on a Friday with 2 working days is due by the end
// of Tuesday: the weekend does not count.
func TestOverdueAfterWorkingDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{RectifyWorkdays: 2})
		ctx := context.Background()
		w.completed("A1", alice)
		w.completed("A2", bob)
		late, _ := w.rate(t, "A1", alice, rating.StageCompleted, rating.Dissatisfied)
		done, _ := w.rate(t, "A2", bob, rating.StageCompleted, rating.Dissatisfied)
		w.rectify(t, done.ID, rating.ActionCallBack, "已回访")
		w.rectify(t, done.ID, rating.ActionVerify, "属实")
		w.rectify(t, done.ID, rating.ActionFix, "已整改")
		w.rectify(t, done.ID, rating.ActionClose, "已办结")

		tests := []struct {
			name string
			now  time.Time
			want []string
		}{
			{"Sunday", time.Date(2026, 5, 17, 12, 0, 0, 0, domain.Beijing), nil},
			{"Monday", time.Date(2026, 5, 18, 12, 0, 0, 0, domain.Beijing), nil},
			{"Tuesday 23:59", time.Date(2026, 5, 19, 23, 59, 0, 0, domain.Beijing), nil},
			{"Wednesday 00:00", time.Date(2026, 5, 20, 0, 0, 0, 0, domain.Beijing), []string{late.ID}},
		}
		for _, tt := range tests {
			w.clock.Set(tt.now)
			got, err := w.svc.Overdue(ctx, "", 0)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var ids []string
			for _, r := range got {
				ids = append(ids, r.ID)
				if !r.Overdue(tt.now) {
					t.Errorf("%s: listed %s is not Overdue", tt.name, r.ID)
				}
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("%s: got overdue %v; want %v", tt.name, ids, tt.want)
			}
		}
		if got, _ := w.svc.Overdue(ctx, "医疗保险科", 0); len(got) != 0 {
			t.Errorf("another office: got %d overdue; want 0", len(got))
		}
		open, _ := w.svc.Rectifications(ctx, rating.RectificationFilter{OpenOnly: true})
		if len(open) != 1 || open[0].ID != late.ID {
			t.Errorf("open: got %+v; want only the late one", open)
		}
	})
}
