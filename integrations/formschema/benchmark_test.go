package formschema_test

import (
	"context"
	"testing"

	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/integrations/formschema"
)

func BenchmarkOpen(b *testing.B) {
	file, _ := catalog.EmbeddedFile()
	for b.Loop() {
		if _, err := catalog.Open(context.Background(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: formschema.New(), File: file}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateForm(b *testing.B) {
	file, _ := catalog.EmbeddedFile()
	svc, _ := catalog.Open(context.Background(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: formschema.New(), File: file})
	f, _ := svc.Form("unit.registration", "")
	data := catalog.SampleForm(f.Fields)
	b.ReportAllocs()
	for b.Loop() {
		if err := svc.ValidateForm("unit.registration", "", data); err != nil {
			b.Fatal(err)
		}
	}
}
