package bff

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README.md's configuration table from the code")

const (
	tableBegin = "<!-- settings:begin (go test ./bff -run README -update) -->"
	tableEnd   = "<!-- settings:end -->"
)

// simFault matches the per-system fault settings, shown once as a pattern.
var simFault = regexp.MustCompile(`^sim-([a-z]+)-(latency-min|latency-max|error-rate|timeout-rate|down)$`)

// settingsTable renders every setting as a Markdown table.
func settingsTable() string {
	var b strings.Builder
	b.WriteString("| variable | flag | default | meaning |\n|---|---|---|---|\n")
	seen := map[string]bool{}
	NewConfig("x").FlagSet().VisitAll(func(f *flag.Flag) {
		name, def := f.Name, f.DefValue
		if m := simFault.FindStringSubmatch(f.Name); m != nil {
			name = "sim-<system>-" + m[2]
			if seen[name] {
				return
			}
			seen[name] = true
			def = "see below"
		}
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "| `%s` | `-%s` | `%s` | %s |\n", EnvName(name), name, def, f.Usage)
	})
	fmt.Fprintf(&b, "\n`<system>` is one of %s. Every simulator answers at once and without errors by default, "+
		"except the business core, which takes 30–120 ms as the legacy system does.\n", strings.Join(quoted(Systems), ", "))
	return b.String()
}

func quoted(ss []string) []string {
	out := slices.Clone(ss)
	for i, s := range out {
		out[i] = "`" + s + "`"
	}
	return out
}

// The README's configuration table is the newcomer's reference: it must be
// the one the code has.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	begin, end := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the markers %q … %q around the settings table", tableBegin, tableEnd)
	}
	want := tableBegin + "\n\n" + settingsTable() + "\n" + tableEnd
	got := text[begin : end+len(tableEnd)]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile("../README.md", []byte(text[:begin]+want+text[end+len(tableEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's settings table is out of date; run: go test ./bff -run README -update")
}
