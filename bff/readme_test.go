package bff

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// The README's configuration table is the newcomer's reference: every
// setting must be in it.
func TestREADMEListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	NewConfig("x").FlagSet().VisitAll(func(f *flag.Flag) {
		if !strings.Contains(string(readme), "`"+EnvName(f.Name)+"`") {
			t.Errorf("README.md lacks %s", EnvName(f.Name))
		}
	})
}
