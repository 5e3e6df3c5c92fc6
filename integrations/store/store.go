// Package store opens the durable database — MySQL in production, SQLite
// (WAL) in the embedded default — applies the schema migrations embedded in
// the binary, and translates driver errors into domain codes where they
// happen (duplicate key → Conflict, no rows → NotFound). The stores of each
// business area live beside it and take a *DB.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Dialect names the SQL flavour a DB speaks. Queries are written in the
// portable subset with ? placeholders; where the flavours differ (upserts,
// locking reads) a store switches on the dialect.
type Dialect string

// The dialects the system runs on.
const (
	MySQL  Dialect = "mysql"
	SQLite Dialect = "sqlite"
)

// DB is the durable database with the dialect it speaks.
type DB struct {
	*sqlx.DB
	Dialect Dialect
}

// Pool sizes the MySQL connection pool.
type Pool struct {
	MaxOpen     int
	MaxIdle     int
	MaxLifetime time.Duration
}

// OpenMySQL connects to MySQL or MariaDB. The DSN is normalised so that every
// connection speaks utf8mb4, parses DATETIME into time.Time in UTC, and
// interpolates parameters client-side (one round trip per statement instead
// of prepare + execute + close).
func OpenMySQL(ctx context.Context, dsn string, pool Pool) (*DB, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse MySQL DSN: %w", err)
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.InterpolateParams = true
	cfg.Collation = "utf8mb4_unicode_ci"
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	cfg.Params["time_zone"] = "'+00:00'"
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	connector, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("MySQL connector: %w", err)
	}
	db := sqlx.NewDb(sql.OpenDB(connector), "mysql")
	db.SetMaxOpenConns(pool.MaxOpen)
	db.SetMaxIdleConns(pool.MaxIdle)
	db.SetConnMaxLifetime(pool.MaxLifetime)
	db.SetConnMaxIdleTime(pool.MaxLifetime / 2)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to MySQL at %s: %w", cfg.Addr, err)
	}
	return &DB{DB: db, Dialect: MySQL}, nil
}

// OpenSQLite opens (creating if needed) the SQLite file at path in WAL mode.
// Transactions begin IMMEDIATE so that two writers queue on the busy timeout
// instead of failing to upgrade a read lock.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(ON)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	db, err := sqlx.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	return &DB{DB: db, Dialect: SQLite}, nil
}

// Ping checks the database answers, for readiness.
func (db *DB) Ping(ctx context.Context) error { return db.PingContext(ctx) }
