package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func TestTranslate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := db.ExecContext(ctx, `CREATE TABLE t_unique (k VARCHAR(32) NOT NULL PRIMARY KEY)`); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO t_unique (k) VALUES (?)`, "a"); err != nil {
			t.Fatal(err)
		}
		_, err := db.ExecContext(ctx, `INSERT INTO t_unique (k) VALUES (?)`, "a")
		if got := domain.ErrorCode(store.Translate(err, "草稿")); got != domain.Conflict {
			t.Errorf("duplicate key: got code %q; want %q (err %v)", got, domain.Conflict, err)
		}
		var k string
		err = db.GetContext(ctx, &k, `SELECT k FROM t_unique WHERE k = ?`, "missing")
		terr := store.Translate(err, "草稿")
		if got := domain.ErrorCode(terr); got != domain.NotFound {
			t.Errorf("no rows: got code %q; want %q", got, domain.NotFound)
		}
		var de *domain.Error
		if errors.As(terr, &de) && de.Message != "未找到该草稿" {
			t.Errorf("message: got %q; want %q", de.Message, "未找到该草稿")
		}
		if !errors.Is(terr, sql.ErrNoRows) {
			t.Error("translated error lost its cause")
		}
		if err := store.Translate(nil, "x"); err != nil {
			t.Errorf("nil: got %v; want nil", err)
		}
	})
}

func TestMigrationsApplyAndRollBack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		m, err := store.NewMigrator(db, nil)
		if err != nil {
			t.Fatal(err)
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 {
			t.Fatal("no migrations embedded")
		}
		for _, s := range st {
			if !s.Applied {
				t.Errorf("migration %d %s not applied", s.Version, s.Name)
			}
		}
		if _, err := db.ExecContext(ctx, `SELECT count(*) FROM audit_log`); err != nil {
			t.Fatalf("audit_log missing after migrate: %v", err)
		}
		for range st {
			if err := m.Down(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.ExecContext(ctx, `SELECT count(*) FROM audit_log`); err == nil {
			t.Error("audit_log still there after rolling every migration back")
		}
		if n, err := m.Up(ctx); err != nil || n != len(st) {
			t.Errorf("re-apply: got %d, %v; want %d, nil", n, err, len(st))
		}
	})
}

// Several instances starting together against one MySQL must not race:
// goose's table lock makes one apply and the others find nothing to do.
func TestConcurrentMigrationsOnMySQL(t *testing.T) {
	dsn := storetest.MySQLDSN(t)
	ctx := context.Background()
	const instances = 4
	applied := make([]int, instances)
	errs := make([]error, instances)
	var wg sync.WaitGroup
	for i := range instances {
		wg.Go(func() {
			db, err := store.OpenMySQL(ctx, dsn, store.Pool{MaxOpen: 4, MaxIdle: 2, MaxLifetime: time.Minute})
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			m, err := store.NewMigrator(db, nil)
			if err != nil {
				errs[i] = err
				return
			}
			applied[i], errs[i] = m.Up(ctx)
		})
	}
	wg.Wait()
	total := 0
	for i := range instances {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		total += applied[i]
	}
	db, err := store.OpenMySQL(ctx, dsn, store.Pool{MaxOpen: 4, MaxIdle: 2, MaxLifetime: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, _ := store.NewMigrator(db, nil)
	st, _ := m.Status(ctx)
	if total != len(st) {
		t.Errorf("migrations applied across instances: got %d; want %d (each exactly once)", total, len(st))
	}
	var rows int
	if err := db.GetContext(ctx, &rows, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`); err != nil {
		t.Fatal(err)
	}
	if rows != len(st) {
		t.Errorf("version rows: got %d; want %d", rows, len(st))
	}
}

func TestSQLiteKeepsDataAcrossReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "var", "hrss.db")
	db, err := store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := store.NewMigrator(db, nil)
	if _, err := m.Up(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO audit_log (at, actor_kind, actor_ref, channel, action) VALUES (?, 'system', 'test', 'kiosk', 'probe')`,
		time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = store.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.GetContext(ctx, &mode, `PRAGMA journal_mode`); err != nil || mode != "wal" {
		t.Errorf("journal mode: got %q, %v; want wal", mode, err)
	}
	var n int
	if err := db.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = 'probe'`); err != nil || n != 1 {
		t.Errorf("rows after reopen: got %d, %v; want 1", n, err)
	}
}
