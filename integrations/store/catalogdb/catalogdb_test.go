package catalogdb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/integrations/formschema"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/catalogdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func matter(code, name string, version int64) catalog.Matter {
	return catalog.Matter{
		Code: code, Name: name, Applicant: catalog.Person,
		Channels: []domain.Channel{domain.App, domain.Counter},
		Fields:   []catalog.Field{{Key: "idNumber", Label: "身份证号码", Type: catalog.IDNumber, Required: true}},
		Limits:   catalog.Limits{Instant: true}, Version: version,
		UpdatedAt: time.Date(2026, 11, 29, 8, 30, 0, 0, domain.Beijing),
	}
}

func TestStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := catalogdb.New(db)

		c, err := s.Load(ctx)
		if err != nil || c.FileVersion != 0 || c.Revision != 0 || len(c.Matters) != 0 {
			t.Fatalf("empty store: got %+v, %v; want nothing at revision 0", c, err)
		}

		want := catalog.Contents{FileVersion: 3, Matters: []catalog.Matter{matter("card.apply", "社会保障卡申领", 1), matter("card.loss_report", "社会保障卡挂失", 4)},
			Bundles: []catalog.Bundle{{Code: "bundle.social_card", Name: "申领社会保障卡", Applicant: catalog.Person, Matters: []string{"card.apply", "card.loss_report"}, Version: 2}}}
		if err := s.Replace(ctx, 0, want); err != nil {
			t.Fatalf("Replace: %v", err)
		}
		got, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.FileVersion != 3 || got.Revision != 1 || len(got.Matters) != 2 || len(got.Bundles) != 1 {
			t.Fatalf("after Replace: got file v%d rev %d, %d matters, %d bundles; want v3 rev 1, 2, 1",
				got.FileVersion, got.Revision, len(got.Matters), len(got.Bundles))
		}
		m := got.Matters[1]
		if m.Code != "card.loss_report" || m.Name != "社会保障卡挂失" || m.Version != 4 || m.Fields[0].Type != catalog.IDNumber ||
			!m.UpdatedAt.Equal(want.Matters[1].UpdatedAt) {
			t.Errorf("stored matter: got %+v; want it as saved", m)
		}
		if b := got.Bundles[0]; b.Version != 2 || len(b.Matters) != 2 {
			t.Errorf("stored bundle: got %+v; want it as saved", b)
		}

		// A write based on an old revision loses.
		if err := s.SaveMatter(ctx, matter("card.apply", "旧修改", 2), 0); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("stale SaveMatter: got %v; want Conflict", err)
		}
		if err := s.SaveMatter(ctx, matter("card.apply", "社会保障卡申领（新）", 2), 1); err != nil {
			t.Fatalf("SaveMatter: %v", err)
		}
		if err := s.SaveBundle(ctx, catalog.Bundle{Code: "bundle.x", Name: "x", Version: 1}, 2); err != nil {
			t.Fatalf("SaveBundle: %v", err)
		}
		if rev, err := s.Revision(ctx); rev != 3 || err != nil {
			t.Errorf("revision: got %d, %v; want 3", rev, err)
		}
		got, _ = s.Load(ctx)
		if got.Matters[0].Name != "社会保障卡申领（新）" || got.Matters[0].Version != 2 || len(got.Bundles) != 2 {
			t.Errorf("after saves: got %s v%d and %d bundles; want the new name at v2 and 2 bundles",
				got.Matters[0].Name, got.Matters[0].Version, len(got.Bundles))
		}

		// Replace deletes what the new contents do not have.
		if err := s.Replace(ctx, 3, catalog.Contents{FileVersion: 4, Matters: want.Matters[:1]}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Load(ctx)
		if len(got.Matters) != 1 || len(got.Bundles) != 0 || got.FileVersion != 4 {
			t.Errorf("after second Replace: got %d matters, %d bundles, file v%d; want 1, 0, v4",
				len(got.Matters), len(got.Bundles), got.FileVersion)
		}
	})
}

// Of writers that start from the same revision exactly one wins.
func TestConcurrentWritersOneWins(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := catalogdb.New(db)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.SaveMatter(context.Background(), matter("card.apply", "并发修改", int64(i+1)), 0)
			}()
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !domain.IsCode(err, domain.Conflict):
				t.Errorf("loser: got %v; want Conflict", err)
			}
		}
		if rev, _ := s.Revision(context.Background()); won != 1 || rev != 1 {
			t.Errorf("got %d winners and revision %d; want 1 and 1", won, rev)
		}
	})
}

// The catalog service over the database: the embedded file is imported
// once, an administrator's change survives a restart with the same file, a
// newer file wins, and another instance sees changes on Refresh.
func TestServiceOverTheDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		file, err := catalog.EmbeddedFile()
		if err != nil {
			t.Fatal(err)
		}
		open := func(f catalog.File) *catalog.Service {
			t.Helper()
			svc, err := catalog.Open(ctx, catalog.Config{Store: catalogdb.New(db), Schemas: formschema.New(), File: f})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			return svc
		}
		a := open(file)
		b := open(file)
		m, err := a.Matter("pension.certification")
		if err != nil {
			t.Fatal(err)
		}
		m.Description = "管理员修改后的说明"
		if _, err := a.Upsert(ctx, m); err != nil {
			t.Fatalf("Upsert: %v", err)
		}
		if err := b.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got, _ := b.Matter("pension.certification"); got.Description != m.Description || got.Version != 2 {
			t.Errorf("other instance after Refresh: got %q v%d; want the change at v2", got.Description, got.Version)
		}
		if got, _ := open(file).Matter("pension.certification"); got.Description != m.Description {
			t.Errorf("restart with the same file: got %q; want the admin's change", got.Description)
		}
		file.Version++
		c := open(file)
		if got, _ := c.Matter("pension.certification"); got.Description == m.Description || got.Version != 3 {
			t.Errorf("restart with a newer file: got %q v%d; want the file's definition at v3", got.Description, got.Version)
		}
		if got, _ := c.Matter("card.apply"); got.Version != 1 {
			t.Errorf("unchanged matter after a newer file: got v%d; want v1 kept", got.Version)
		}
		// Instances behind one load balancer answer the same ETag.
		if x, y := open(file).ETag(), open(file).ETag(); x != y {
			t.Errorf("two instances on one database: ETags %s and %s; want equal", x, y)
		}
	})
}
