package catalog_test

import (
	"context"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

// schemas is an honest stand-in for integrations/formschema: it accepts
// what the Go rules accepted, counts compilations, and can be told to
// reject, so tests see what the service does with the double check.
type schemas struct {
	compiled int
	reject   error
}

func (s *schemas) Compile(id string, fields []catalog.Field) (catalog.FormCheck, error) {
	s.compiled++
	return func(map[string]any) error { return s.reject }, nil
}

// open returns a service over a fresh memory store loaded with f.
func open(t testing.TB, f catalog.File) (*catalog.Service, *catalog.MemoryStore) {
	t.Helper()
	st := catalog.NewMemoryStore()
	svc, err := catalog.Open(context.Background(), catalog.Config{Store: st, Schemas: &schemas{}, File: f})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return svc, st
}

// embedded returns the embedded catalog file.
func embedded(t testing.TB) catalog.File {
	t.Helper()
	f, err := catalog.EmbeddedFile()
	if err != nil {
		t.Fatalf("EmbeddedFile: %v", err)
	}
	return f
}

// fieldErrors returns the field errors of err by field, failing unless err
// is Invalid.
func fieldErrors(t testing.TB, err error) map[string]string {
	t.Helper()
	if !domain.IsCode(err, domain.Invalid) {
		t.Fatalf("got %v; want an Invalid error", err)
	}
	out := map[string]string{}
	for _, f := range err.(*domain.Error).Fields {
		out[f.Field] = f.Message
	}
	return out
}
