// Command hrss is the one binary of the HRSS self-service backend:
//
//	hrss [serve]                 run the BFF server (the default)
//	hrss migrate [up|down|status] manage the database schema
//	hrss sim [--system NAME]     run the external systems' simulators
//	hrss sim --sample 20         list sample people of the simulated city
//	hrss wechat menu [file]      set the WeChat account's menu (deploy/wechat-menu.json)
//	hrss version                 print the version
//
// With nothing configured it runs the embedded default: SQLite under ./var,
// an in-process Redis and in-process simulators of every external system.
// Every setting is a flag or an HRSS_* environment variable; see
// `hrss serve --help`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/dandong-hrss/hrss/bff"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args, getenv, stdout, stderr)
	case "migrate":
		err = migrate(args, getenv, stdout, stderr)
	case "sim":
		err = sim(args, getenv, stdout, stderr)
	case "wechat":
		err = wechatCmd(args, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version())
	case "help", "-h", "--help":
		usage(stdout)
	default:
		fmt.Fprintf(stderr, "hrss: unknown command %q\n\n", cmd)
		usage(stderr)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	default:
		fmt.Fprintf(stderr, "hrss %s: %v\n", cmd, err)
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage: hrss <command> [flags]

Commands:
  serve      run the BFF server (default)
  migrate    up | down | status: manage the database schema
  sim        run the simulators of the external systems standalone
             (--system NAME, --sample N lists sample people)
  wechat     menu [file]: set the official account's menu from a file
  version    print the version

Run "hrss <command> --help" for the settings of a command.
`)
}

func version() string {
	v := bff.Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		v += " " + info.GoVersion
	}
	return "hrss " + v
}

// serve runs the server until SIGINT or SIGTERM, then shuts it down
// gracefully and returns nil, so the process exits 0.
func serve(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg := bff.NewConfig("hrss serve")
	cfg.FlagSet().SetOutput(stderr)
	if err := cfg.Parse(args, getenv); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	m := bff.NewMain(cfg, stderr)
	m.Logger.Info("starting", "version", version(), "settings", cfg.Settings())
	if err := m.Open(ctx); err != nil {
		return err
	}
	if cfg.Embedded() {
		printTryURLs(stdout, m.URL())
	}
	select {
	case <-ctx.Done():
		m.Logger.Info("signal received")
	case err := <-m.Served():
		m.Close()
		return fmt.Errorf("server stopped: %w", err)
	}
	stop() // a second signal now kills the process at once
	if err := m.Close(); err != nil {
		return err
	}
	m.Logger.Info("stopped")
	return nil
}

func printTryURLs(w io.Writer, base string) {
	fmt.Fprintf(w, `
人社服务快办 BFF is running on the embedded default (SQLite under ./var, in-process Redis).
Try:
  %[1]s/readyz     readiness of the database and Redis
  %[1]s/livez      liveness
  %[1]s/metrics    Prometheus metrics
Stop with Ctrl-C.

`, base)
}
