package main

import (
	"context"
	"fmt"
	"io"

	"github.com/dandong-hrss/hrss/bff"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// migrate applies (up), rolls back one (down) or lists (status) the schema
// migrations of the configured database.
func migrate(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := bff.NewConfig("hrss migrate [up|down|status]")
	cfg.FlagSet().SetOutput(stderr)
	if err := cfg.Parse(args, getenv); err != nil {
		return err
	}
	action := "up"
	if rest := cfg.Args(); len(rest) > 0 {
		action = rest[0]
	}
	ctx := context.Background()
	var db *store.DB
	var err error
	if cfg.Embedded() {
		db, err = store.OpenSQLite(ctx, cfg.SQLitePath())
	} else {
		db, err = store.OpenMySQL(ctx, cfg.MySQLDSN, store.Pool{MaxOpen: 4, MaxIdle: 2, MaxLifetime: cfg.MySQLConnMaxLifetime})
	}
	if err != nil {
		return err
	}
	defer db.Close()
	mig, err := store.NewMigrator(db, bff.NewLogger(cfg, stderr))
	if err != nil {
		return err
	}
	switch action {
	case "up":
		n, err := mig.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
	case "down":
		return mig.Down(ctx)
	case "status":
		st, err := mig.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied"
			}
			fmt.Fprintf(stdout, "%05d  %-8s %s\n", s.Version, state, s.Name)
		}
	default:
		return fmt.Errorf("unknown action %q: want up, down or status", action)
	}
	return nil
}
