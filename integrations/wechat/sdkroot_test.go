package wechat_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The SDK's root package turns on logrus debug logging in its init, which
// would print followers' raw messages from the callback to stderr. Any
// package of the module importing it does so for the whole process, so the
// whole module is checked.
func TestNothingImportsTheSDKRoot(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-deps", "-f", `{{.ImportPath}}`, "github.com/dandong-hrss/hrss/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/silenceper/wechat/v2/officialaccount") {
		t.Fatalf("go list does not show the SDK's officialaccount package; cannot judge: %d deps", len(deps))
	}
	if slices.Contains(deps, "github.com/silenceper/wechat/v2") {
		t.Error("the module imports github.com/silenceper/wechat/v2, whose init logs raw messages; use its officialaccount package")
	}
}
