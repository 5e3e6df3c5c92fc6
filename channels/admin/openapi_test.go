package admin_test

import (
	"strings"
	"testing"
)

func TestOpenAPIDescribesTheBackOffice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Summary  string
			Security []map[string][]string
		}
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme string }
			Schemas         map[string]struct {
				Properties map[string]any
			}
		}
	}
	e.do(t, "GET", "/openapi.json", "", nil).want(t, 200).decode(t, &doc)
	if s := doc.Components.SecuritySchemes["adminBearer"]; s.Type != "http" || s.Scheme != "bearer" {
		t.Errorf("security scheme: got %+v; want http bearer", s)
	}
	ops := 0
	for path, methods := range doc.Paths {
		if !strings.HasPrefix(path, "/admin/v1/") {
			continue
		}
		for method, op := range methods {
			ops++
			if op.Summary == "" || len(op.Security) != 1 || op.Security[0]["adminBearer"] == nil {
				t.Errorf("%s %s: got summary %q security %v; want a Chinese summary and the staff token", method, path, op.Summary, op.Security)
			}
		}
	}
	if ops != 25 {
		t.Errorf("got %d back-office operations; want 25", ops)
	}
	// Embedded wire types are described field by field.
	if props := doc.Components.Schemas["UpdateAnnInputBody"].Properties; props["title"] == nil || props["version"] == nil {
		t.Errorf("the announcement update's body: got properties %v; want the draft's fields and the version", props)
	}
}
