package domain_test

import (
	"os/exec"
	"strings"
	"testing"
)

// forbidden are the import paths (and their subpackages) the domain must
// never reach, directly or through another package of this module: the
// business rules stay testable and portable without a web framework,
// database driver, Redis client or WeChat SDK.
var forbidden = []string{
	"github.com/gofiber/",
	"github.com/valyala/fasthttp",
	"github.com/danielgtaylor/huma",
	"github.com/jmoiron/sqlx",
	"database/sql/driver",
	"github.com/go-sql-driver/",
	"modernc.org/sqlite",
	"github.com/redis/",
	"github.com/go-redis/",
	"github.com/alicebob/miniredis",
	"github.com/silenceper/wechat",
}

func TestDomainDependsOnNoInfrastructure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}`, "github.com/dandong-hrss/hrss/domain/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 5 {
		t.Fatalf("go list returned too little to judge: %v", deps)
	}
	for _, dep := range deps {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("domain depends on %s", dep)
			}
		}
	}
}

// Each package under domain/ imports only the standard library and other
// domain packages: anything from outside comes in through a port.
func TestDomainImportsOnlyStdlibAndDomain(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "github.com/dandong-hrss/hrss/domain/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			first, _, _ := strings.Cut(imp, "/")
			stdlib := !strings.Contains(first, ".")
			if !stdlib && !strings.HasPrefix(imp, "github.com/dandong-hrss/hrss/domain") {
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
}
