package admin_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// matterJSON is a matter definition as the API reads and writes it.
type matterJSON map[string]any

func (m matterJSON) version(t testing.TB) int64 {
	t.Helper()
	v, ok := m["version"].(float64)
	if !ok {
		t.Fatalf("no version in %v", m)
	}
	return int64(v)
}

const matterPath = "/admin/v1/matters/employment.notice_print"

func TestMatterChangesAreVersioned(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnvOn(t, db)
		var m matterJSON
		read := e.do(t, "GET", matterPath, adminToken, nil).want(t, 200)
		read.decode(t, &m)
		v := m.version(t)
		if got, want := read.header.Get("ETag"), `"v`+itoa(v)+`"`; got != want {
			t.Fatalf("ETag: got %s; want %s", got, want)
		}

		m["name"] = "就业登记告知书打印（新版）"
		put := e.do(t, "PUT", matterPath, adminToken, m, "If-Match", read.header.Get("ETag")).want(t, 200)
		if got, want := put.header.Get("ETag"), `"v`+itoa(v+1)+`"`; got != want {
			t.Errorf("ETag after the change: got %s; want %s", got, want)
		}
		var back matterJSON
		e.do(t, "GET", matterPath, adminToken, nil).want(t, 200).decode(t, &back)
		if back["name"] != "就业登记告知书打印（新版）" || back.version(t) != v+1 {
			t.Errorf("read back: got %v v%d; want the new name at v%d", back["name"], back.version(t), v+1)
		}
		if got, err := e.catalog.Matter("employment.notice_print"); err != nil || got.Name != "就业登记告知书打印（新版）" {
			t.Errorf("served catalog: got %q, %v; want the new name", got.Name, err)
		}

		// Another administrator still holding the old version is refused.
		m["name"] = "别人的改动"
		p := e.do(t, "PUT", matterPath, adminToken, m, "If-Match", read.header.Get("ETag")).want(t, 409).problem(t)
		if p.Code != domain.Conflict || !strings.Contains(p.Detail, "已被他人修改") {
			t.Errorf("stale If-Match: got %+v; want a conflict saying someone else changed it", p)
		}
		e.do(t, "PUT", matterPath, adminToken, m).want(t, 409) // the stale version in the body
		delete(m, "version")
		e.do(t, "PUT", matterPath, adminToken, m).want(t, 409) // no version: "the code is taken"
		if got, _ := e.catalog.Matter("employment.notice_print"); got.Name != "就业登记告知书打印（新版）" {
			t.Errorf("after refused changes: got %q; want the first change kept", got.Name)
		}
	})
}

func TestMatterVersionMustAgree(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var m matterJSON
	e.do(t, "GET", matterPath, adminToken, nil).want(t, 200).decode(t, &m)
	tests := []struct {
		name, ifMatch string
		edit          func(matterJSON)
		field         string
	}{
		{"If-Match not ours", `W/"abc"`, func(matterJSON) {}, "If-Match"},
		{"If-Match and body disagree", `"v99"`, func(matterJSON) {}, "version"},
		{"code differs from the path", "", func(m matterJSON) { m["code"] = "employment.other" }, "code"},
		{"a field without a label", "", func(m matterJSON) { m["fields"].([]any)[0].(map[string]any)["label"] = "" }, "fields[0].label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := clone(t, m)
			tt.edit(body)
			a := e.do(t, "PUT", matterPath, adminToken, body, "If-Match", tt.ifMatch).want(t, 400)
			if !hasField(a.problem(t), tt.field) {
				t.Errorf("got %s; want a fault on %s", a.body, tt.field)
			}
		})
	}
}

func TestNewMatterAndList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	list := e.do(t, "GET", "/admin/v1/matters?q=告知书", adminToken, nil).want(t, 200)
	etag := list.header.Get("ETag")
	e.do(t, "GET", "/admin/v1/matters?q=告知书", adminToken, nil, "If-None-Match", etag).want(t, 304)

	var m matterJSON
	e.do(t, "GET", matterPath, adminToken, nil).want(t, 200).decode(t, &m)
	delete(m, "version")
	delete(m, "code")
	m["name"] = "就业登记告知书补打"
	created := e.do(t, "PUT", "/admin/v1/matters/employment.notice_reprint", adminToken, m).want(t, 201)
	var got matterJSON
	created.decode(t, &got)
	if got["code"] != "employment.notice_reprint" || got.version(t) != 1 || created.header.Get("ETag") != `"v1"` {
		t.Errorf("created: got %v v%d ETag %s; want the new code at v1", got["code"], got.version(t), created.header.Get("ETag"))
	}

	e.do(t, "GET", "/admin/v1/matters?q=告知书", adminToken, nil, "If-None-Match", etag).want(t, 200)
	var after struct {
		Items []struct{ Code string }
		Total int
	}
	e.do(t, "GET", "/admin/v1/matters?q=告知书&applicant=unit", adminToken, nil).want(t, 200).decode(t, &after)
	found := false
	for _, it := range after.Items {
		found = found || it.Code == "employment.notice_reprint"
	}
	if !found || after.Total != len(after.Items) {
		t.Errorf("list after adding: got %+v; want the new matter in it", after)
	}
}

func TestBundleChangesAreVersioned(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var list struct{ Items []map[string]any }
	e.do(t, "GET", "/admin/v1/bundles", adminToken, nil).want(t, 200).decode(t, &list)
	if len(list.Items) == 0 {
		t.Fatal("no bundles listed")
	}
	path := "/admin/v1/bundles/" + list.Items[0]["code"].(string)
	read := e.do(t, "GET", path, adminToken, nil).want(t, 200)
	var b map[string]any
	read.decode(t, &b)
	def := map[string]any{"name": "改名后的一件事", "description": b["description"], "applicant": b["applicant"], "matters": b["matters"]}
	var saved map[string]any
	e.do(t, "PUT", path, adminToken, def, "If-Match", read.header.Get("ETag")).want(t, 200).decode(t, &saved)
	if saved["name"] != "改名后的一件事" || saved["version"].(float64) != b["version"].(float64)+1 {
		t.Errorf("saved: got %v v%v; want the new name one version on from %v", saved["name"], saved["version"], b["version"])
	}
	e.do(t, "PUT", path, adminToken, def, "If-Match", read.header.Get("ETag")).want(t, 409)

	rows := e.auditRows(t, 2)
	var outcomes []string
	for _, r := range rows {
		if r.Action == "catalog.bundle.put" && r.ActorRef == "s1001" {
			outcomes = append(outcomes, r.Outcome)
		}
	}
	if strings.Join(outcomes, ",") != "ok,conflict" {
		t.Errorf("audited bundle changes: got %v; want ok then conflict", outcomes)
	}
}

func clone(t testing.TB, m matterJSON) matterJSON {
	t.Helper()
	b, err := json.Marshal(m)
	must(t, err)
	var out matterJSON
	must(t, json.Unmarshal(b, &out))
	return out
}

// hasField reports whether the problem names field at fault.
func hasField(p web.Problem, field string) bool {
	for _, f := range p.Errors {
		if f.Field == field {
			return true
		}
	}
	return false
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
