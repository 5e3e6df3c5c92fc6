package ratingdb_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func TestOnlyTheApplicantMayRate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		w.completed("A1", alice)
		ctx := context.Background()
		in := rating.RateInput{ApplicationID: "A1", Stage: rating.StageCompleted, Level: rating.Satisfied, RaterRef: bob}
		_, _, err := w.svc.Rate(ctx, in)
		wantCode(t, "rated by someone else", err, domain.Forbidden)
		in.RaterRef = ""
		_, _, err = w.svc.Rate(ctx, in)
		wantCode(t, "rated signed out", err, domain.Unauthenticated)
		in.ApplicationID, in.RaterRef = "NOPE", alice
		_, _, err = w.svc.Rate(ctx, in)
		wantCode(t, "unknown application", err, domain.NotFound)
		if got, _ := w.store.Ratings(ctx, "A1"); len(got) != 0 {
			t.Errorf("got %d ratings stored after refusals; want 0", len(got))
		}
		if _, err := w.svc.Ratings(ctx, "A1", bob); !domain.IsCode(err, domain.Forbidden) {
			t.Errorf("Ratings by someone else: got %v; want Forbidden", err)
		}
	})
}

func TestNotBeforeTheStageIsReached(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		f := w.completed("A1", alice)
		f.Status, f.AcceptedAt, f.FinishedAt = acceptance.StatusAwaitingRouting, time.Time{}, time.Time{}
		w.apps.put(f)
		try := func(stage rating.Stage) error {
			_, _, err := w.svc.Rate(ctx, rating.RateInput{ApplicationID: "A1", Stage: stage, Level: rating.VerySatisfied, RaterRef: alice})
			return err
		}
		wantCode(t, "acceptance rated before acceptance", try(rating.StageAccepted), domain.Rejected)
		wantCode(t, "result rated before acceptance", try(rating.StageCompleted), domain.Rejected)

		f.Status, f.AcceptedAt = acceptance.StatusInProgress, friday.Add(-time.Hour)
		w.apps.put(f)
		if err := try(rating.StageAccepted); err != nil {
			t.Errorf("acceptance rated once accepted: got %v; want it stored", err)
		}
		err := try(rating.StageCompleted)
		wantCode(t, "result rated while in progress", err, domain.Rejected)
		if err != nil && !strings.Contains(err.Error(), "办结后") {
			t.Errorf("got message %q; want it to say rating waits for 办结", err)
		}

		f.Status, f.FinishedAt = acceptance.StatusRejected, friday
		w.apps.put(f)
		if err := try(rating.StageCompleted); err != nil {
			t.Errorf("result of a refused application: got %v; want it stored", err)
		}
		got, err := w.svc.Ratings(ctx, "A1", alice)
		if err != nil || len(got) != 2 || got[0].Stage != rating.StageAccepted || got[1].Stage != rating.StageCompleted {
			t.Errorf("Ratings: got %+v, %v; want accepted then completed", got, err)
		}
	})
}

func TestOncePerStage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		w.completed("A1", alice)
		first, _ := w.rate(t, "A1", alice, rating.StageCompleted, rating.Satisfied)
		_, _, err := w.svc.Rate(ctx, rating.RateInput{ApplicationID: "A1", Stage: rating.StageCompleted, Level: rating.VeryDissatisfied,
			Comment: "改主意了", RaterRef: alice})
		wantCode(t, "second rating", err, domain.Conflict)
		var de *domain.Error
		if err != nil && (!errorsAs(err, &de) || de.Message != "该事项已评价，感谢您的反馈") {
			t.Errorf("second rating: got message %q; want 该事项已评价，感谢您的反馈", err)
		}
		got, _ := w.store.Ratings(ctx, "A1")
		if len(got) != 1 || got[0].ID != first.ID || got[0].Level != rating.Satisfied {
			t.Errorf("stored: got %+v; want only the first rating", got)
		}
		w.rate(t, "A1", alice, rating.StageAccepted, rating.VerySatisfied)
	})
}

// Many taps on "submit" at once store one rating.
func TestOncePerStageUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		w.completed("A1", alice)
		var wg sync.WaitGroup
		codes := make([]domain.Code, 8)
		for i := range codes {
			wg.Go(func() {
				_, _, err := w.svc.Rate(context.Background(), rating.RateInput{ApplicationID: "A1", Stage: rating.StageCompleted,
					Level: rating.Dissatisfied, Tags: []string{"态度差"}, RaterRef: alice})
				codes[i] = domain.ErrorCode(err)
			})
		}
		wg.Wait()
		ok, conflicts := 0, 0
		for _, c := range codes {
			switch c {
			case "":
				ok++
			case domain.Conflict:
				conflicts++
			}
		}
		if ok != 1 || conflicts != len(codes)-1 {
			t.Errorf("got %d stored and %d conflicts (%v); want 1 and %d", ok, conflicts, codes, len(codes)-1)
		}
		open, _ := w.svc.Rectifications(context.Background(), rating.RectificationFilter{})
		if len(open) != 1 {
			t.Errorf("got %d rectifications; want 1", len(open))
		}
	})
}

func TestRatingKeepsWhatWasSaidMasked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		ctx := context.Background()
		w.completed("A1", alice)
		_, _, err := w.svc.Rate(ctx, rating.RateInput{ApplicationID: "A1", Stage: rating.StageCompleted, Level: rating.FairlySatisfied,
			Tags: []string{" 办理快 ", "办理快", "态度好"}, Comment: "请回电13812345678，身份证21060219900101104X", RaterRef: alice})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := w.store.Ratings(ctx, "A1")
		if len(got) != 1 {
			t.Fatalf("got %d ratings; want 1", len(got))
		}
		r := got[0]
		if want := "请回电138****5678，身份证2106**********104X"; r.Comment != want {
			t.Errorf("comment: got %q; want %q", r.Comment, want)
		}
		if !slices.Equal(r.Tags, []string{"办理快", "态度好"}) {
			t.Errorf("tags: got %q; want [办理快 态度好]", r.Tags)
		}
		if r.MatterName != "养老保险待遇申领" || r.Office != "养老保险科" || r.Staff != "王芳（0042）" || r.Channel != domain.WeChat ||
			r.RaterRef != alice || !r.At.Equal(friday) {
			t.Errorf("rating: got %+v; want the application's matter, office, staff and channel, rated at %v", r, friday)
		}
	})
}
