package bff_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/progress"
)

// An application filed through the server's own services is forwarded by
// the dispatcher to the counter core (the simulator, auto-staffed), and the
// core's events come back through the real webhook route until the
// timeline shows it completed.
func TestApplicationRunsToCompletion(t *testing.T) {
	m := startMain(t, map[string]string{"HRSS_SIM_COUNTER_STEP_DELAY": "30ms",
		"HRSS_SIM_CORE_LATENCY_MIN": "0", "HRSS_SIM_CORE_LATENCY_MAX": "0"}, nil)
	ctx := context.Background()
	person := m.Sims.Core.Sample(1)[0]
	name, _ := m.Sims.Core.RealName(person.ID)

	const matter = "pension.certification"
	form, err := m.Catalog.Form(matter, "")
	if err != nil {
		t.Fatal(err)
	}
	data := catalog.SampleForm(form.Fields)
	data["idNumber"], data["name"] = person.ID, name
	raw, _ := json.Marshal(data)
	var materials []acceptance.Material
	for _, mat := range form.Materials {
		if mat.Optional || mat.Commitment != "" {
			continue
		}
		f, err := m.Declarations.UploadMaterial(ctx, []byte("%PDF-1.4\n% "+mat.Code+"\n%%EOF\n"))
		if err != nil {
			t.Fatal(err)
		}
		materials = append(materials, acceptance.Material{Name: mat.Name, Hash: f.Hash})
	}
	filed, err := m.Declarations.Submit(ctx, declaration.Request{MatterCode: matter,
		Applicant: declaration.Who{Kind: acceptance.Person, IDNumber: person.ID, Name: name},
		Channel:   domain.Kiosk, IdempotencyKey: "flow-1", Form: raw, Materials: materials})
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	id := filed.Applications[0].ID
	viewer := filed.Applications[0].Applicant.Ref

	var v progress.View
	deadline := time.Now().Add(20 * time.Second)
	for {
		v, err = m.Progress.ByApplication(ctx, id, viewer)
		if err != nil {
			t.Fatal(err)
		}
		if v.Final || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if v.Status != declaration.Status(acceptance.StatusCompleted) || v.CaseNo == "" {
		t.Fatalf("after 20 s: status %q (%s), case %q; want completed with a case number", v.Status, v.StatusLabel, v.CaseNo)
	}
	if len(v.Timeline) < 3 {
		t.Errorf("timeline has %d events; want accepted, steps and completion", len(v.Timeline))
	}
	resp, err := http.Get(m.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `hrss_progress_events_total{fresh="true",source="webhook"}`) {
		t.Error("no event arrived through the webhook route")
	}
}
