package admin_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/channels/admin"
	"github.com/dandong-hrss/hrss/domain"
)

func TestNoTokenIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name, method, path, auth string
	}{
		{"no header", "GET", "/admin/v1/matters", ""},
		{"no header on a change", "POST", "/admin/v1/devices", ""},
		{"not bearer", "GET", "/admin/v1/rectifications", "Basic " + adminToken},
		{"empty bearer", "GET", "/admin/v1/rectifications", "Bearer "},
		{"unknown token", "GET", "/admin/v1/rectifications", "Bearer " + strings.Repeat("x", 40)},
		{"a token's prefix", "GET", "/admin/v1/rectifications", "Bearer " + adminToken[:len(adminToken)-1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body any
			if tt.method == "POST" {
				body = map[string]string{"id": "kiosk-x-001"} // invalid, but the guard answers first
			}
			a := e.do(t, tt.method, tt.path, "", body, "Authorization", tt.auth)
			p := a.want(t, 401).problem(t)
			if p.Code != domain.Unauthenticated || p.Detail == "" {
				t.Errorf("got %+v; want unauthenticated with a message", p)
			}
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("content type: got %q; want problem+json", ct)
			}
			if got := a.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Errorf("WWW-Authenticate: got %q; want Bearer", got)
			}
		})
	}
}

func TestRolesDecideWhatStaffMayDo(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name, token, method, path string
		want                      int
	}{
		{"operator on the catalog", operatorToken, "GET", "/admin/v1/matters", 403},
		{"operator on devices", operatorToken, "GET", "/admin/v1/devices", 403},
		{"operator on announcements", operatorToken, "GET", "/admin/v1/announcements", 403},
		{"operator on rectifications", operatorToken, "GET", "/admin/v1/rectifications", 200},
		{"operator on notices", operatorToken, "GET", "/admin/v1/notices/reviews", 200},
		{"operator on statistics", operatorToken, "GET", "/admin/v1/ratings/stats?by=day&from=2026-05-01&to=2026-05-13", 200},
		{"admin on the catalog", adminToken, "GET", "/admin/v1/matters", 200},
		{"admin on rectifications", adminToken, "GET", "/admin/v1/rectifications", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := e.do(t, tt.method, tt.path, tt.token, nil).want(t, tt.want)
			if tt.want == 403 && a.problem(t).Code != domain.Forbidden {
				t.Errorf("got %s; want a forbidden problem", a.body)
			}
			if got := a.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control: got %q; want no-store", got)
			}
		})
	}
	rows := e.auditRows(t, 3)
	denied := 0
	for _, r := range rows {
		if r.Action == "admin.denied" {
			denied++
			if r.ActorKind != "staff" || r.ActorRef != "s2001" || r.Outcome != "forbidden" || r.Channel != "admin" {
				t.Errorf("denied entry: got %+v; want staff s2001, forbidden, admin", r)
			}
		}
	}
	if denied != 3 {
		t.Errorf("got %d admin.denied entries; want 3", denied)
	}
}

func TestMe(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var me struct{ ID, Name, Role, RoleName string }
	e.do(t, "GET", "/admin/v1/me", operatorToken, nil).want(t, 200).decode(t, &me)
	if me.ID != "s2001" || me.Name != "王芳" || me.Role != "operator" || me.RoleName != "业务经办" {
		t.Errorf("got %+v; want s2001 王芳 operator 业务经办", me)
	}
}

func TestTokensAreNeverLogged(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.do(t, "GET", "/admin/v1/matters", adminToken, nil).want(t, 200)
	e.do(t, "GET", "/admin/v1/matters", operatorToken, nil).want(t, 403)
	e.do(t, "GET", "/admin/v1/matters", "wrong-"+adminToken, nil).want(t, 401)
	e.auditRows(t, 1)
	if e.logs.Len() == 0 {
		t.Fatal("the access log is empty; the test would prove nothing")
	}
	for _, tok := range []string{adminToken, operatorToken} {
		if strings.Contains(e.logs.String(), tok) {
			t.Errorf("a token is in the log:\n%s", e.logs.String())
		}
	}
}

func TestParseStaff(t *testing.T) {
	t.Parallel()
	tok := strings.Repeat("a1", 16)
	tests := []struct {
		name, spec string
		want       []admin.Staff
		err        string // part of the error; "" for none
	}{
		{"empty", "  ", nil, ""},
		{"one with a name", tok + ":s1001:admin:李明", []admin.Staff{{ID: "s1001", Name: "李明", Role: admin.RoleAdmin, Token: tok}}, ""},
		{"name defaults to id; separators", tok + ":s1:operator;\n" + tok + "b:s1:admin",
			[]admin.Staff{{ID: "s1", Name: "s1", Role: admin.RoleOperator, Token: tok}, {ID: "s1", Name: "s1", Role: admin.RoleAdmin, Token: tok + "b"}}, ""},
		{"name with a colon", tok + ":s1:admin:李明:科长", []admin.Staff{{ID: "s1", Name: "李明:科长", Role: admin.RoleAdmin, Token: tok}}, ""},
		{"short token", "short:s1:admin", nil, `entry 1 (staff "s1"): the token must be`},
		{"unknown role", tok + ":s1:boss", nil, "the role must be admin or operator"},
		{"bad id", tok + ":s 1:admin", nil, "the staff id must be"},
		{"missing role", tok + ":s1", nil, "want token:staffid:role"},
		{"shared token", tok + ":s1:admin," + tok + ":s2:operator", nil, `entry 2 (staff "s2"): its token is also the token of "s1"`},
		{"fields out of place", "s1:admin:" + tok, nil, "entry 1"},
		{"long name", tok + ":s1:admin:" + strings.Repeat("名", 21), nil, "display name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := admin.ParseStaff(tt.spec)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("got %v; want an error containing %q", err, tt.err)
				}
				if strings.Contains(err.Error(), tok) {
					t.Errorf("the error shows the token: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d staff; want %d", len(got), len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("staff %d: got %+v (token %q); want %+v", i, got[i], got[i].Token, tt.want[i])
				}
			}
		})
	}
}

func TestStaffPrintsWithoutItsToken(t *testing.T) {
	t.Parallel()
	s := admin.Staff{ID: "s1001", Name: "李明", Role: admin.RoleAdmin, Token: adminToken}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("signed in", "staff", s)
	printed := fmt.Sprintf("%v %+v %#v %s", s, s, s, logged.String())
	if strings.Contains(printed, adminToken) || !strings.Contains(printed, "s1001(admin)") {
		t.Errorf("got %s; want the staff id and role without the token", printed)
	}
}

func TestDevStaffTokenIsKeptInItsFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "var")
	first, err := admin.LoadOrCreateDevStaff(dir)
	must(t, err)
	again, err := admin.LoadOrCreateDevStaff(dir)
	must(t, err)
	if len(first) != 1 || first[0].Role != admin.RoleAdmin || first[0] != again[0] {
		t.Fatalf("got %v then %v; want the same one administrator", first, again)
	}
	info, err := os.Stat(filepath.Join(dir, admin.DevTokenFile))
	must(t, err)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode: got %v; want 0600", info.Mode().Perm())
	}
	if _, err := admin.ParseStaff(first[0].Token + ":x:admin"); err != nil {
		t.Errorf("the generated token is not a valid token: %v", err)
	}
}
