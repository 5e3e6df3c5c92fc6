package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one directory of goose SQL files per dialect. The two
// directories carry the same versions; each file is written for its dialect.
//
//go:embed migrations/mysql/*.sql migrations/sqlite/*.sql
var migrations embed.FS

// Migrator applies and reports the embedded schema migrations.
type Migrator struct {
	provider *goose.Provider
}

// NewMigrator prepares the BFF's own schema migrations for db. On MySQL it
// takes goose's table lock, so that several instances starting together
// against one database apply each migration once and the others wait for
// it; the lock holds a connection of its own, so the pool needs at least two.
func NewMigrator(db *DB, logger *slog.Logger) (*Migrator, error) {
	return NewMigratorFS(db, migrations, "migrations", "goose_db_version", logger)
}

// NewMigratorFS prepares another schema kept beside the BFF's in the same
// database (a simulator's tables): its migrations are in dir/<dialect>/ of
// fsys, its applied versions in versionTable, and it shares the MySQL lock.
func NewMigratorFS(db *DB, fsys fs.FS, dir, versionTable string, logger *slog.Logger) (*Migrator, error) {
	sub, err := fs.Sub(fsys, dir+"/"+string(db.Dialect))
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithTableName(versionTable)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	dialect := goose.DialectSQLite3
	if db.Dialect == MySQL {
		dialect = goose.DialectMySQL
		locker, err := lock.NewMySQLTableLocker()
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithLocker(locker))
	}
	p, err := goose.NewProvider(dialect, db.DB.DB, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return &Migrator{provider: p}, nil
}

// Up applies every pending migration and returns how many it applied.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.provider.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	return len(res), nil
}

// Down rolls back the most recent migration.
func (m *Migrator) Down(ctx context.Context) error {
	if _, err := m.provider.Down(ctx); err != nil {
		return fmt.Errorf("migrate down: %w", err)
	}
	return nil
}

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

// Status lists every migration with whether it is applied.
func (m *Migrator) Status(ctx context.Context) ([]MigrationStatus, error) {
	st, err := m.provider.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}
