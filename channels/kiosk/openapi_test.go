package kiosk_test

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
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
			Summary    string
			Security   []map[string][]string
			Parameters []struct {
				Name, In string
				Required bool
			}
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
		if !strings.HasPrefix(path, "/kiosk/v1/") {
			continue // the public routes the test server also serves
		}
		for method, op := range methods {
			ops++
			if !hasHan(op.Summary) || len(op.Security) != 1 || op.Security[0] == nil {
				t.Errorf("%s %s: summary %q security %v; want Chinese and the kiosk signature", method, path, op.Summary, op.Security)
			}
			keyed := slices.ContainsFunc(op.Parameters, func(p struct {
				Name, In string
				Required bool
			}) bool {
				return p.In == "header" && p.Name == "Idempotency-Key" && p.Required
			})
			if keyed != filings[method+" "+path] {
				t.Errorf("%s %s: Idempotency-Key required %v; want %v", method, path, keyed, !keyed)
			}
			_, needsSession := op.Security[0]["kioskSession"]
			if deviceOnly := deviceOnlyPaths[path]; needsSession == deviceOnly {
				t.Errorf("%s %s: session required %v", method, path, needsSession)
			}
		}
	}
	if ops != 38 {
		t.Errorf("got %d operations; want 38", ops)
	}
	if doc.Components.SecuritySchemes["kioskSignature"].Name != "X-Kiosk-Signature" {
		t.Errorf("security schemes: got %+v", doc.Components.SecuritySchemes)
	}
	if r := e.send(t, httptest.NewRequest("GET", "/kiosk/v1/nowhere", nil)); r.status != 404 {
		t.Errorf("an unknown kiosk path: got %d; want 404, not a signature refusal", r.status)
	}
}

// deviceOnlyPaths need a signed device and no card: opening a session and
// reading the announcements.
var deviceOnlyPaths = map[string]bool{"/kiosk/v1/sessions/person": true, "/kiosk/v1/sessions/unit": true,
	"/kiosk/v1/announcements": true, "/kiosk/v1/announcements/{id}": true}

// filings are the routes that file something and so require an
// Idempotency-Key.
var filings = map[string]bool{"post /kiosk/v1/pension/certification": true, "post /kiosk/v1/pension/base-tier": true,
	"post /kiosk/v1/unit/assessment-applications": true}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
