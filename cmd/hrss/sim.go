package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/dandong-hrss/hrss/bff"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// simPorts are where `hrss sim` serves each system unless told otherwise.
var simPorts = map[string]string{
	bff.SystemCore:       "127.0.0.1:9101",
	bff.SystemSMS:        "127.0.0.1:9102",
	bff.SystemProvince:   "127.0.0.1:9105",
	bff.SystemPayment:    "127.0.0.1:9106",
	bff.SystemWeChat:     "127.0.0.1:9104",
	bff.SystemCounter:    "127.0.0.1:9103",
	bff.SystemEmployment: "127.0.0.1:9107",
}

// sim runs the simulators of the external systems standalone, for a BFF
// started with their URLs, for the load test, or to look at their data.
func sim(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("hrss sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var sc bff.SimConfig
	sc.RegisterFlags(fs)
	systems := fs.String("system", "", "run only these systems, comma separated (default all): "+strings.Join(bff.Systems, ", "))
	sample := fs.Int("sample", 0, "print this many sample people of the simulated city and exit")
	dataDir := fs.String("data-dir", "./var", "directory for the database of simulators that keep state")
	webhook := fs.String("counter-webhook-url", "http://127.0.0.1:8080"+bff.CounterWebhookPath, "where the counter simulator posts case events (the BFF)")
	addrs := map[string]*string{}
	for _, name := range bff.Systems {
		addrs[name] = fs.String(name+"-addr", simPorts[name], "listen address of the "+name+" simulator")
	}
	if err := bff.ParseFlags(fs, args, getenv, nil); err != nil {
		return err
	}
	if *sample > 0 {
		return printSample(stdout, sc, *sample)
	}
	names := bff.Systems
	if *systems != "" {
		names = strings.Split(*systems, ",")
	}
	listen := map[string]string{}
	for name, a := range addrs {
		listen[name] = *a
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	db, err := store.OpenSQLite(ctx, filepath.Join(*dataDir, "sim.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	sims, err := bff.StartSimulators(sc, names, listen, bff.SimDeps{DB: db, Logger: logger, CounterWebhookURL: *webhook})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, name := range names {
		fmt.Fprintf(tw, "%s\t%s\t(faults: %s/_admin/faults)\n", name, sims.URLs[name], sims.URLs[name])
	}
	tw.Flush()
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return sims.Close(shutdown)
}

// printSample lists sample people across statuses, for tests and demos.
func printSample(w io.Writer, sc bff.SimConfig, n int) error {
	sims, err := bff.StartSimulators(sc, []string{bff.SystemCore}, nil, bff.SimDeps{})
	if err != nil {
		return err
	}
	defer sims.Close(context.Background())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID number\tname\tstatus\twork injury\tunit")
	for _, p := range sims.Core.Sample(n) {
		injury := ""
		if p.WorkInjury {
			injury = "工伤"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.ID, p.Name, p.Status, injury, p.UnitCode)
	}
	return tw.Flush()
}
