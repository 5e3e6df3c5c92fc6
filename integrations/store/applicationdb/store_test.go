package applicationdb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var ctx = context.Background()

func TestSubmitReadsBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		mat, err := e.decl.UploadMaterial(ctx, []byte("%PDF-1.7 离职证明"))
		if err != nil {
			t.Fatal(err)
		}
		req := request(1, "employment.unemployment_registration", "k1")
		req.Materials = []acceptance.Material{{Name: "离职证明", Hash: mat.Hash}}
		req.ActingFor, req.Relation = &declaration.Who{Kind: acceptance.Person, IDNumber: personID(2), Name: "张小三"}, "子女"
		f, err := e.decl.Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		want := f.Applications[0]
		got, err := e.store.Application(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Applicant != want.Applicant || got.ActingFor.Ref != want.ActingFor.Ref || got.Relation != "子女" ||
			!slices.Equal(got.Materials, want.Materials) || !got.SubmittedAt.Equal(want.SubmittedAt) ||
			got.State.Status != declaration.StatusSubmitted {
			t.Errorf("read back %+v\nwant %+v", got, want)
		}
		form, err := sealer.Open(got.SealedForm)
		if err != nil || form != string(req.Form) {
			t.Errorf("stored form opens to %q, %v; want %s", form, err, req.Form)
		}
		if n := count(t, db, "outbox", "application_id = ?", want.ID); n != 1 {
			t.Errorf("%d outbox rows; want 1 committed with the application", n)
		}
	})
}

func TestSameKeyTwentyTimesConcurrentlyIsOneApplication(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		for _, bundle := range []bool{false, true} {
			req := request(3, "employment.unemployment_registration", fmt.Sprintf("double-tap-%v", bundle))
			if bundle {
				req.MatterCode, req.BundleCode = "", "bundle.unemployment"
			}
			ids := make([]string, 20)
			var wg sync.WaitGroup
			for i := range ids {
				wg.Go(func() {
					f, err := e.decl.Submit(ctx, req)
					if err != nil {
						t.Errorf("submit %d: %v", i, err)
						return
					}
					ids[i] = f.Applications[0].ID
				})
			}
			wg.Wait()
			slices.Sort(ids)
			if ids = slices.Compact(ids); len(ids) != 1 {
				t.Errorf("bundle %v: 20 submissions answered with %d application ids; want 1", bundle, len(ids))
			}
		}
		if apps, boxes, bundles := count(t, db, "application", ""), count(t, db, "outbox", ""), count(t, db, "bundle", ""); apps != 3 || boxes != 3 || bundles != 1 {
			t.Errorf("%d applications, %d outbox rows, %d bundles; want 1+2, 1+2, 1", apps, boxes, bundles)
		}
	})
}

func TestOutboxLeases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		a := e.submit(t, 1, "employment.unemployment_registration", "a")
		b := e.submit(t, 2, "employment.unemployment_registration", "b")
		now := time.Now().Add(time.Second)
		due, err := e.store.ClaimDue(ctx, now, 10, time.Minute)
		if err != nil || len(due) != 2 || due[0].Attempts != 1 || due[0].Application.SealedForm == "" {
			t.Fatalf("ClaimDue = %d rows (%v); want both, first attempt, with their forms", len(due), err)
		}
		if again, _ := e.store.ClaimDue(ctx, now, 10, time.Minute); len(again) != 0 {
			t.Errorf("second claim took %d leased rows; want 0", len(again))
		}
		lapsed, err := e.store.ClaimDue(ctx, now.Add(2*time.Minute), 10, time.Minute)
		if err != nil || len(lapsed) != 2 || lapsed[0].Attempts != 2 {
			t.Fatalf("after the lease lapsed: %d rows (%v); want both again, attempt 2", len(lapsed), err)
		}
		// The first holder's late reschedule must not undo the new lease.
		if err := e.store.Reschedule(ctx, a.ID, due[0].Lease, now, "stale"); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "outbox", "lease = ?", lapsed[0].Lease); n != 2 {
			t.Errorf("%d rows still under the current lease; want 2", n)
		}
		r := acceptance.Receipt{CaseNo: "DD2026113000000001", ApplicationID: a.ID, PromisedBy: time.Date(2026, 12, 3, 0, 0, 0, 0, domain.Beijing)}
		if st, err := e.store.RecordReceipt(ctx, a.ID, r, now); err != nil || st != declaration.Status(acceptance.StatusInProgress) {
			t.Errorf("RecordReceipt = %q, %v; want in_progress", st, err)
		}
		if err := e.store.Refuse(ctx, b.ID, "申请表内容格式不正确", now); err != nil {
			t.Fatal(err)
		}
		got, _ := e.store.Application(ctx, a.ID)
		refused, _ := e.store.Application(ctx, b.ID)
		if got.State.CaseNo != r.CaseNo || !got.State.PromisedBy.Equal(r.PromisedBy) || refused.State.Status != declaration.StatusRefused ||
			refused.State.ForwardError == "" || count(t, db, "outbox", "") != 0 {
			t.Errorf("after receipt and refusal: case %q promised %v, other %q %q, %d outbox rows; want the receipt, refused with reason, none",
				got.State.CaseNo, got.State.PromisedBy, refused.State.Status, refused.State.ForwardError, count(t, db, "outbox", ""))
		}
	})
}

func TestWithdrawBeforeForwarding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		a := e.submit(t, 1, "employment.unemployment_registration", "a")
		got, err := e.decl.Withdraw(ctx, a.ID, ref(t, 1), "")
		if err != nil || got.State.Status != declaration.Status(acceptance.StatusWithdrawn) || got.State.Comment != "申请人主动撤回" {
			t.Fatalf("Withdraw = %q %q, %v; want withdrawn with the default reason", got.State.Status, got.State.Comment, err)
		}
		if n := count(t, db, "outbox", ""); n != 0 {
			t.Errorf("%d outbox rows; want none: a withdrawn application is never forwarded", n)
		}
		if _, err := e.decl.Withdraw(ctx, a.ID, ref(t, 1), ""); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("second Withdraw = %v; want Conflict", err)
		}
		b := e.submit(t, 1, "employment.unemployment_registration", "b")
		if _, err := e.decl.Withdraw(ctx, b.ID, ref(t, 2), ""); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("Withdraw by someone else = %v; want NotFound", err)
		}
		if _, err := e.store.ClaimDue(ctx, time.Now().Add(time.Second), 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, err := e.decl.Withdraw(ctx, b.ID, ref(t, 1), ""); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("Withdraw while being forwarded = %v; want Conflict (try again shortly)", err)
		}
	})
}

func TestEventsOutOfOrderAndRepeated(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		a := e.submit(t, 1, "employment.unemployment_registration", "a")
		at := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
		promised := time.Date(2026, 12, 3, 0, 0, 0, 0, domain.Beijing)
		ev := func(seq int, kind acceptance.EventKind, status acceptance.Status, step, comment string) acceptance.Event {
			return acceptance.Event{ID: fmt.Sprint(100 + seq), CaseNo: "DD1", Seq: seq, ApplicationID: a.ID, Kind: kind, Status: status,
				Step: step, StepName: step, Office: "就业服务科", Comment: comment, PromisedBy: promised, At: at.Add(time.Duration(seq) * time.Minute)}
		}
		events := []acceptance.Event{
			ev(2, acceptance.EventReturnedForMaterials, acceptance.StatusAwaitingMaterials, "review", "请补充离职证明"),
			ev(1, acceptance.EventAccepted, acceptance.StatusInProgress, "accept", ""),                           // late
			ev(2, acceptance.EventReturnedForMaterials, acceptance.StatusAwaitingMaterials, "review", "请补充离职证明"), // repeated
			ev(3, acceptance.EventClaimed, acceptance.StatusAwaitingMaterials, "review", ""),
		}
		var fresh []bool
		for _, x := range events {
			ok, err := e.store.Apply(ctx, x, at)
			if err != nil {
				t.Fatal(err)
			}
			fresh = append(fresh, ok)
		}
		if want := []bool{true, true, false, true}; !slices.Equal(fresh, want) {
			t.Errorf("Apply reported fresh %v; want %v", fresh, want)
		}
		got, _ := e.store.Application(ctx, a.ID)
		st := got.State
		if st.Status != declaration.Status(acceptance.StatusAwaitingMaterials) || st.LastSeq != 3 || st.Comment != "请补充离职证明" ||
			st.CaseNo != "DD1" || !st.PromisedBy.Equal(promised) || !st.AcceptedAt.Equal(at.Add(time.Minute)) {
			t.Errorf("state %+v; want awaiting materials at seq 3 with the comment kept, case DD1, promised and accepted dates", st)
		}
		tl, err := e.store.Timeline(ctx, a.ID)
		if err != nil || len(tl) != 3 || tl[0].Seq != 1 || tl[2].Seq != 3 {
			t.Errorf("timeline %v (%v); want seq 1, 2, 3", tl, err)
		}
	})
}

func TestDraftsAcrossChannels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		who := declaration.Who{Kind: acceptance.Person, IDNumber: personID(1)}
		save := func(ch domain.Channel, form string) {
			t.Helper()
			if _, err := e.decl.SaveDraft(ctx, who, declaration.Draft{Code: "unemployment.benefit_claim", Channel: ch, Form: json.RawMessage(form)}); err != nil {
				t.Fatal(err)
			}
		}
		save(domain.Kiosk, `{"bank":"工商银行"}`)
		save(domain.App, `{"bank":"工商银行","phone":"`+phoneOf(1)+`"}`)
		list, err := e.decl.Drafts(ctx, ref(t, 1))
		if err != nil || len(list) != 1 || list[0].Channel != domain.App || !bytes.Contains(list[0].Form, []byte(phoneOf(1))) {
			t.Fatalf("Drafts = %+v, %v; want the one draft as the app last saved it", list, err)
		}
		req := request(1, "unemployment.benefit_claim", "from-draft")
		req.FromDraft = true
		if _, err := e.decl.Submit(ctx, req); err != nil {
			t.Fatal(err)
		}
		if _, err := e.decl.Draft(ctx, ref(t, 1), "unemployment.benefit_claim"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("draft after submitting it = %v; want NotFound", err)
		}
	})
}

func TestMaterialsStoredOnceByHash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 0xFF}, 1<<18)...) // 1 MB
		for range 2 {
			if _, err := e.decl.UploadMaterial(ctx, png); err != nil {
				t.Fatal(err)
			}
		}
		h := declaration.MaterialHash(png)
		got, err := e.decl.Material(ctx, h)
		if err != nil || !bytes.Equal(got.Data, png) || got.ContentType != declaration.TypePNG || count(t, db, "material", "") != 1 {
			t.Errorf("Material = %s %d bytes, %v, %d rows; want the PNG back, stored once", got.ContentType, len(got.Data), err, count(t, db, "material", ""))
		}
		missing, err := e.store.MissingMaterials(ctx, []string{h, declaration.MaterialHash(nil)})
		if err != nil || len(missing) != 1 || missing[0] != declaration.MaterialHash(nil) {
			t.Errorf("MissingMaterials = %v, %v; want only the never uploaded one", missing, err)
		}
	})
}

func TestApplicationsOfApplicantPaged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		var ids []string
		for i := range 4 {
			ids = append(ids, e.submit(t, 1, "employment.unemployment_registration", fmt.Sprint("mine-", i)).ID)
		}
		req := request(2, "employment.unemployment_registration", "for-dad")
		req.ActingFor, req.Relation = &declaration.Who{Kind: acceptance.Person, IDNumber: personID(1)}, "子女"
		f, err := e.decl.Submit(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, f.Applications[0].ID)
		e.submit(t, 3, "employment.unemployment_registration", "stranger")
		slices.Sort(ids)
		slices.Reverse(ids)
		var got []string
		before := ""
		for page := 0; page < 5; page++ {
			views, next, err := e.progress.ByApplicant(ctx, ref(t, 1), before, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range views {
				got = append(got, v.ApplicationID)
			}
			if before = next; next == "" {
				break
			}
		}
		if !slices.Equal(got, ids) {
			t.Errorf("pages gave %v; want %v, newest first, including the one filed for another", got, ids)
		}
	})
}

func TestPollingCursorSurvives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(db, nil, nil)
		for _, c := range []string{"", "41", "97"} {
			if c != "" {
				if err := e.store.SaveCursor(ctx, "counter", c); err != nil {
					t.Fatal(err)
				}
			}
			if got, err := newEnv(db, nil, nil).store.Cursor(ctx, "counter"); got != c || err != nil {
				t.Errorf("Cursor = %q, %v; want %q", got, err, c)
			}
		}
	})
}
