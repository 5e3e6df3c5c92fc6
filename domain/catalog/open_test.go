package catalog_test

import (
	"context"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

// The rule between the file and the store: admin changes survive restarts
// with the same file; a release with a newer file wins; versions only grow
// and unchanged matters keep theirs.
func TestOpenImportsOnlyANewerFile(t *testing.T) {
	ctx := context.Background()
	f1 := embedded(t)
	svc, st := open(t, f1)
	restart := func(f catalog.File) *catalog.Service {
		t.Helper()
		s, err := catalog.Open(ctx, catalog.Config{Store: st, Schemas: &schemas{}, File: f})
		if err != nil {
			t.Fatalf("restart: %v", err)
		}
		return s
	}

	m, _ := svc.Matter("card.activation")
	m.Name = "管理员改过的名称"
	if _, err := svc.Upsert(ctx, m); err != nil {
		t.Fatal(err)
	}
	if got, _ := restart(f1).Matter("card.activation"); got.Name != m.Name || got.Version != 2 {
		t.Errorf("restart with the same file: got %q v%d; want the admin's change at v2", got.Name, got.Version)
	}

	f2 := embedded(t)
	f2.Version = f1.Version + 1
	for i := range f2.Matters {
		if f2.Matters[i].Code == "card.loss_report" {
			f2.Matters[i].Name = "社会保障卡挂失（新版）"
		}
	}
	svc = restart(f2)
	if got, _ := svc.Matter("card.activation"); got.Name == m.Name || got.Version != 3 {
		t.Errorf("newer file: got %q v%d; want the file's definition at v3", got.Name, got.Version)
	}
	if got, _ := svc.Matter("card.loss_report"); got.Name != "社会保障卡挂失（新版）" || got.Version != 2 {
		t.Errorf("changed in the file: got %q v%d; want the new name at v2", got.Name, got.Version)
	}
	if got, _ := svc.Matter("card.apply"); got.Version != 1 {
		t.Errorf("unchanged matter: got v%d; want v1 kept", got.Version)
	}
	if got := svc.Catalog().FileVersion(); got != f2.Version {
		t.Errorf("file version: got %d; want %d", got, f2.Version)
	}

	// An older binary starting during a rolling release keeps the newer catalog.
	if got, _ := restart(f1).Matter("card.loss_report"); got.Name != "社会保障卡挂失（新版）" {
		t.Errorf("older file: got %q; want the stored, newer catalog", got.Name)
	}
}

// A file whose definitions are wrong stops the start rather than serving a
// broken catalog; the store keeps what it had.
func TestOpenRefusesABadFile(t *testing.T) {
	f := embedded(t)
	f.Matters[0].Prerequisites = []string{"pension.nothing"}
	_, err := catalog.Open(context.Background(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: &schemas{}, File: f})
	if !domain.IsCode(err, domain.Invalid) {
		t.Errorf("got %v; want Invalid", err)
	}
}

// Schemas are compiled when a catalog is built, once per form, and reused
// for matters a change did not touch.
func TestSchemasCompiledOncePerForm(t *testing.T) {
	sch := &schemas{}
	svc, err := catalog.Open(context.Background(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: sch, File: embedded(t)})
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		_ = svc.ValidateForm("card.apply", "", map[string]any{})
	}
	before := sch.compiled
	m, _ := svc.Matter("card.loss_report")
	if _, err := svc.Upsert(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got := sch.compiled - before; got != 1+10 {
		t.Errorf("an edit compiled %d schemas; want 1 (the matter) + 10 (the bundles)", got)
	}
}
