package bff_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain/device"
)

// A demo kiosk of the embedded default opens a card session through the
// real server and reads the card holder's insurance overview, masked.
func TestKioskThroughTheServer(t *testing.T) {
	m := startMain(t, map[string]string{"HRSS_SIM_CORE_LATENCY_MIN": "0", "HRSS_SIM_CORE_LATENCY_MAX": "0"}, nil)
	who := sampleApplicant(t, m)
	const dev = "kiosk-yb-001"
	send := func(method, path, session string, body any) (int, []byte) {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		req, _ := http.NewRequest(method, m.URL()+path, bytes.NewReader(b))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		if session != "" {
			req.Header.Set(kiosk.HeaderSession, session)
		}
		if err := kiosk.Sign(req, dev, device.DemoSecret); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}
	status, body := send("POST", "/kiosk/v1/sessions/person", "", map[string]string{
		"cardKind": "id_card", "idNumber": who.id, "name": who.name, "cardSerial": "A1B2C3D4"})
	if status != 201 {
		t.Fatalf("open card session: %d %s", status, body)
	}
	var opened struct{ SessionID string }
	json.Unmarshal(body, &opened)
	status, body = send("GET", "/kiosk/v1/person/overview", opened.SessionID, nil)
	if status != 200 || strings.Contains(string(body), who.id) || !strings.Contains(string(body), who.id[:4]+"**********") {
		t.Errorf("overview: %d %s; want 200 with the ID masked", status, body)
	}
	if status, _ := send("GET", "/kiosk/v1/person/overview", "", nil); status != 401 {
		t.Errorf("overview without a card session: %d; want 401", status)
	}
}
