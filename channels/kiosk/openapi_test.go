package kiosk_test

import (
	"encoding/json"
	"net/http/httptest"
	"testing"
	"unicode"
)

// Every kiosk route is in the OpenAPI document with a Chinese summary and
// the kiosk's security; the guard leaves the rest of the server alone.
func TestOpenAPIAndScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	r := e.send(t, httptest.NewRequest("GET", "/openapi.json", nil))
	if r.status != 200 {
		t.Fatalf("openapi without a signature: got %d; want 200", r.status)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Summary  string
			Security []map[string][]string
		}
		Components struct {
			SecuritySchemes map[string]struct{ Name string }
		}
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	ops := 0
	for path, methods := range doc.Paths {
		for method, op := range methods {
			ops++
			if !hasHan(op.Summary) || len(op.Security) != 1 || op.Security[0] == nil {
				t.Errorf("%s %s: summary %q security %v; want Chinese and the kiosk signature", method, path, op.Summary, op.Security)
			}
			_, needsSession := op.Security[0]["kioskSession"]
			if opening := path == "/kiosk/v1/sessions/person" || path == "/kiosk/v1/sessions/unit"; needsSession == opening {
				t.Errorf("%s %s: session required %v", method, path, needsSession)
			}
		}
	}
	if ops != 18 {
		t.Errorf("got %d operations; want 18", ops)
	}
	if doc.Components.SecuritySchemes["kioskSignature"].Name != "X-Kiosk-Signature" {
		t.Errorf("security schemes: got %+v", doc.Components.SecuritySchemes)
	}
	if r := e.send(t, httptest.NewRequest("GET", "/kiosk/v1/nowhere", nil)); r.status != 404 {
		t.Errorf("an unknown kiosk path: got %d; want 404, not a signature refusal", r.status)
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
