package applicationdb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/applicationdb"
)

// sealer is shared by every instance a test starts, as the keys of a
// deployment are: a restarted instance must open what the last one sealed.
var sealer = smcrypto.Ephemeral()

// personID returns the i-th synthetic citizen of Dandong (born 1 January
// 1980 in Yuanbao district), with a valid check digit.
func personID(i int) string {
	first17 := fmt.Sprintf("21060219800101%03d", i%1000)
	return first17 + string(domain.IDCheckDigit(first17))
}

// phoneOf returns the i-th synthetic mobile number.
func phoneOf(i int) string { return fmt.Sprintf("139%08d", i) }

// rules is the catalog as far as these tests need it: matters of the
// simulated core's workflows.json, and one bundle.
type rules struct{}

var matterNames = map[string]string{
	"employment.unemployment_registration": "失业登记",
	"unemployment.benefit_claim":           "失业保险金申领",
	"unit.staff_add":                       "职工参保登记（增员）",
}

func (rules) Matter(_ context.Context, code, _ string) (declaration.Matter, error) {
	name, ok := matterNames[code]
	if !ok {
		return declaration.Matter{}, domain.Errorf(domain.NotFound, "未找到该事项")
	}
	return declaration.Matter{Code: code, Name: name}, nil
}

func (rules) Bundle(_ context.Context, code string) (declaration.BundleRule, error) {
	if code != "bundle.unemployment" {
		return declaration.BundleRule{}, domain.Errorf(domain.NotFound, "未找到该事项")
	}
	return declaration.BundleRule{Code: code, Name: "失业一件事", Matters: []string{"employment.unemployment_registration", "unemployment.benefit_claim"}}, nil
}

func (rules) ValidateForm(context.Context, string, string, json.RawMessage) error { return nil }

// env is one BFF instance over a database: the store and the services.
type env struct {
	db       *store.DB
	store    *applicationdb.Store
	decl     *declaration.Service
	progress *progress.Service
}

// newEnv starts an instance; core may be nil when nothing reaches it.
func newEnv(db *store.DB, core acceptance.Core, verifier progress.WebhookVerifier) *env {
	st := applicationdb.New(db)
	return &env{db: db, store: st,
		decl:     declaration.NewService(declaration.Config{Store: st, Materials: st, Drafts: st, Rules: rules{}, Sealer: sealer, Core: core}),
		progress: progress.NewService(progress.Config{Store: st, Core: core, Verifier: verifier}),
	}
}

// request is person i's application for matter with key, its form holding
// the person's phone.
func request(i int, matter, key string) declaration.Request {
	return declaration.Request{
		MatterCode:     matter,
		Applicant:      declaration.Who{Kind: acceptance.Person, IDNumber: personID(i), Name: "张三"},
		Channel:        domain.App,
		IdempotencyKey: key,
		Form:           json.RawMessage(`{"bank":"工商银行","phone":"` + phoneOf(i) + `"}`),
	}
}

// submit files person i's application and fails the test on an error.
func (e *env) submit(tb testing.TB, i int, matter, key string) declaration.Application {
	tb.Helper()
	f, err := e.decl.Submit(context.Background(), request(i, matter, key))
	if err != nil {
		tb.Fatalf("Submit(%s, %s): %v", matter, key, err)
	}
	return f.Applications[0]
}

// ref is person i's applicant reference.
func ref(tb testing.TB, i int) string {
	tb.Helper()
	r, err := declaration.Ref(sealer, declaration.Who{Kind: acceptance.Person, IDNumber: personID(i)})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// count returns SELECT COUNT(*) FROM table WHERE where.
func count(tb testing.TB, db *store.DB, table, where string, args ...any) int {
	tb.Helper()
	var n int
	q := "SELECT COUNT(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	if err := db.Get(&n, q, args...); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}

// eventually waits up to d for ok, failing the test with what otherwise.
func eventually(tb testing.TB, d time.Duration, what string, ok func() bool) {
	tb.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			tb.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
