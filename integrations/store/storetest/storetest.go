// Package storetest gives each test its own database: a fresh MariaDB/MySQL
// database (created, migrated, dropped at the end) or a fresh SQLite file,
// so test packages run in parallel without seeing each other's rows.
//
// MySQL comes from HRSS_TEST_MYSQL_DSN (default root@tcp(127.0.0.1:3306)/).
// When it cannot be reached the test fails with a message saying how to
// start it; it never skips silently.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/go-sql-driver/mysql"
)

// DefaultMySQLDSN is the server the tests use when HRSS_TEST_MYSQL_DSN is unset.
const DefaultMySQLDSN = "root@tcp(127.0.0.1:3306)/"

const howToStart = "start MariaDB with `bash .ci/run` (it starts or installs it), " +
	"or `start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd`, " +
	"or point HRSS_TEST_MYSQL_DSN at a server"

// MySQLDSN creates an empty database for this test and returns a DSN for
// it. The database is dropped when the test ends.
func MySQLDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("HRSS_TEST_MYSQL_DSN")
	if base == "" {
		base = DefaultMySQLDSN
	}
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		tb.Fatalf("HRSS_TEST_MYSQL_DSN=%q is not a DSN: %v", base, err)
	}
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		tb.Fatalf("open MySQL: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		tb.Fatalf("MariaDB is not reachable at %s (%v): %s", cfg.Addr, err, howToStart)
	}
	name := "hrss_test_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// MySQL returns a migrated database of its own for this test.
func MySQL(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.OpenMySQL(context.Background(), MySQLDSN(tb), store.Pool{MaxOpen: 16, MaxIdle: 8, MaxLifetime: time.Minute})
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	migrate(tb, db)
	return db
}

// SQLite returns a migrated SQLite database in a file of its own.
func SQLite(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.OpenSQLite(context.Background(), filepath.Join(tb.TempDir(), "hrss.db"))
	if err != nil {
		tb.Fatalf("open SQLite: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	migrate(tb, db)
	return db
}

// Each runs fn once on MySQL and once on SQLite, as subtests named after
// the dialect: the one suite every store must pass on both.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range []struct {
		name string
		open func(testing.TB) *store.DB
	}{{"mysql", MySQL}, {"sqlite", SQLite}} {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			fn(t, d.open(t))
		})
	}
}

func migrate(tb testing.TB, db *store.DB) {
	tb.Helper()
	m, err := store.NewMigrator(db, nil)
	if err != nil {
		tb.Fatalf("migrations: %v", err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("random: %v", err))
	}
	return hex.EncodeToString(b)
}
