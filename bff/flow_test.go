package bff_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/bff"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/insurance"
)

// applicant is a sample person of the simulated city with a phone on record.
type applicant struct {
	id, name string
	phone    domain.Phone
}

func sampleApplicant(t *testing.T, m *bff.Main) applicant {
	t.Helper()
	core := insurance.New(insurance.Config{BaseURL: m.Sims.URLs[bff.SystemCore]}, nil)
	for _, s := range m.Sims.Core.Sample(12) {
		id, _ := domain.ParseIDNumber(s.ID)
		p, err := core.Person(context.Background(), id)
		if err == nil && p.Phone != "" {
			return applicant{id: s.ID, name: p.Name, phone: p.Phone}
		}
	}
	t.Fatal("no sample person with a phone on record")
	return applicant{}
}

// fileAndComplete files an application for who through the server's own
// services and waits until the counter core (the auto-staffed simulator)
// has completed it, its events arriving through the real webhook route.
func fileAndComplete(t *testing.T, m *bff.Main, who applicant, key string) progress.View {
	t.Helper()
	ctx := context.Background()
	const matter = "pension.certification"
	form, err := m.Catalog.Form(matter, "")
	if err != nil {
		t.Fatal(err)
	}
	data := catalog.SampleForm(form.Fields)
	data["idNumber"], data["name"], data["phone"] = who.id, who.name, who.phone.Raw()
	raw, _ := json.Marshal(data)
	var materials []acceptance.Material
	for _, mat := range form.Materials {
		switch {
		case mat.Optional:
		case mat.Commitment != "":
			materials = append(materials, acceptance.Material{Name: mat.Name, Pledge: mat.Commitment})
		default:
			f, err := m.Declarations.UploadMaterial(ctx, []byte("%PDF-1.4\n% "+mat.Code+"\n%%EOF\n"))
			if err != nil {
				t.Fatal(err)
			}
			materials = append(materials, acceptance.Material{Name: mat.Name, Hash: f.Hash})
		}
	}
	filed, err := m.Declarations.Submit(ctx, declaration.Request{MatterCode: matter,
		Applicant: declaration.Who{Kind: acceptance.Person, IDNumber: who.id, Name: who.name},
		Channel:   domain.Kiosk, IdempotencyKey: key, Form: raw, Materials: materials})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	app := filed.Applications[0]
	deadline := time.Now().Add(20 * time.Second)
	for {
		v, err := m.Progress.ByApplication(ctx, app.ID, app.Applicant.Ref)
		if err != nil {
			t.Fatal(err)
		}
		if v.Final || time.Now().After(deadline) {
			if v.Status != declaration.Status(acceptance.StatusCompleted) || v.CaseNo == "" {
				t.Fatalf("after 20 s: status %q (%s), case %q; want completed with a case number", v.Status, v.StatusLabel, v.CaseNo)
			}
			return v
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// One application from submission to completion through the real server:
// the timeline is complete, the applicant was told by SMS, the rating is
// accepted once; a bad rating opens a rectification that can be closed.
func TestApplicationRunsToCompletion(t *testing.T) {
	m := startMain(t, map[string]string{"HRSS_SIM_COUNTER_STEP_DELAY": "30ms",
		"HRSS_SIM_CORE_LATENCY_MIN": "0", "HRSS_SIM_CORE_LATENCY_MAX": "0"}, nil)
	ctx := context.Background()
	who := sampleApplicant(t, m)
	v := fileAndComplete(t, m, who, "flow-1")
	id, _ := domain.ParseIDNumber(who.id)
	ref := privacy.IDIndex(m.Sealer, id)

	if len(v.Timeline) < 3 {
		t.Errorf("timeline has %d events; want accepted, steps and completion", len(v.Timeline))
	}
	body := metrics(t, m)
	if !strings.Contains(body, `hrss_progress_events_total{fresh="true",source="webhook"}`) {
		t.Error("no event arrived through the webhook route")
	}
	// The view shows the case completed once the event is committed; the
	// hook that invalidates the cache runs right after.
	waitFor(t, "the applicant's cached data invalidated", func() bool {
		b := metrics(t, m)
		return strings.Contains(b, "hrss_cache_invalidations_total") && !strings.Contains(b, "hrss_cache_invalidations_total 0\n")
	})
	waitFor(t, "an SMS about the application", func() bool {
		for _, msg := range m.Sims.SMS.Messages(who.phone.Raw()) {
			if strings.Contains(msg.Content, "已办结") || strings.Contains(msg.Content, v.ApplicationID) {
				return true
			}
		}
		return false
	})

	good := rating.RateInput{ApplicationID: v.ApplicationID, Stage: rating.StageCompleted, Level: 1, RaterRef: ref}
	if _, rect, err := m.Ratings.Rate(ctx, good); err != nil || rect != nil {
		t.Fatalf("rate 非常满意: %v, rectification %v; want accepted without one", err, rect)
	}
	if _, _, err := m.Ratings.Rate(ctx, good); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("second rating of the stage: %v; want Conflict", err)
	}

	bad := fileAndComplete(t, m, who, "flow-2")
	_, rect, err := m.Ratings.Rate(ctx, rating.RateInput{ApplicationID: bad.ApplicationID, Stage: rating.StageCompleted,
		Level: 5, Comment: "等待时间太长", RaterRef: ref})
	if err != nil || rect == nil {
		t.Fatalf("rate 非常不满意: %v, rectification %v; want one opened", err, rect)
	}
	for _, step := range []rating.Action{rating.ActionCallBack, rating.ActionVerify, rating.ActionFix, rating.ActionClose} {
		r, err := m.Ratings.Rectify(ctx, rect.ID, step, "王芳（0042）", "已处理："+string(step))
		if err != nil {
			t.Fatalf("rectify %s: %v", step, err)
		}
		if step == rating.ActionClose && r.State != rating.StateClosed {
			t.Errorf("after close: state %q; want closed", r.State)
		}
	}
	m.Audit.Close(ctx) // write what the audit log holds in memory
	noPlainPersonalData(t, m, who)
}

// noPlainPersonalData reads every text column of every table of the BFF
// and fails on anything shaped like an ID number or a mobile number, and on
// the applicant's own. The csim_ tables are the counter core's own, which
// the simulator keeps in the same database only in the embedded default:
// the core must read the form it is sent.
func noPlainPersonalData(t *testing.T, m *bff.Main, who applicant) {
	t.Helper()
	ctx := context.Background()
	var tables []string
	if err := m.DB.SelectContext(ctx, &tables, `SELECT name FROM sqlite_master WHERE type = 'table'`); err != nil {
		t.Fatal(err)
	}
	idShape := regexp.MustCompile(`(^|[^0-9])[1-9][0-9]{16}[0-9Xx]($|[^0-9])`)
	phoneShape := regexp.MustCompile(`(^|[^0-9])1[3-9][0-9]{9}($|[^0-9])`)
	for _, table := range tables {
		if strings.HasPrefix(table, "csim_") {
			continue
		}
		rows, err := m.DB.QueryxContext(ctx, `SELECT * FROM "`+table+`"`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			row := map[string]any{}
			if err := rows.MapScan(row); err != nil {
				t.Fatal(err)
			}
			for col, v := range row {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					if table == "material" && col == "data" {
						continue // the uploaded files themselves
					}
					text = string(v)
				default:
					continue
				}
				if strings.Contains(text, who.id) || strings.Contains(text, who.phone.Raw()) ||
					idShape.MatchString(text) || phoneShape.MatchString(text) {
					t.Errorf("%s.%s holds plain personal data: %.80q", table, col, text)
				}
			}
		}
		rows.Close()
	}
}

func metrics(t *testing.T, m *bff.Main) string {
	t.Helper()
	resp, err := http.Get(m.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 15 s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
