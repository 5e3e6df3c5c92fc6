package admin_test

import (
	"net/url"
	"testing"
)

// annJSON is an announcement as the back office answers it.
type annJSON struct {
	ID          string
	Title       string
	Published   bool
	Version     int64
	PublishedAt string
}

// publicTitles is what citizens find in the public list for q.
func (e *env) publicTitles(t testing.TB, q string) []string {
	t.Helper()
	var l struct{ Items []struct{ Title string } }
	e.do(t, "GET", "/api/v1/announcements?q="+url.QueryEscape(q), "", nil).want(t, 200).decode(t, &l)
	var out []string
	for _, it := range l.Items {
		out = append(out, it.Title)
	}
	return out
}

func TestAnnouncementLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	draft := map[string]any{"category": "procedure", "title": "元宝区大厅五一期间调整服务时间",
		"body": "5月1日至5日大厅暂停对外服务。\n线上渠道照常办理。", "source": "丹东市社会保险事业服务中心", "pinned": true}
	made := e.do(t, "POST", "/admin/v1/announcements", adminToken, draft).want(t, 201)
	var a annJSON
	made.decode(t, &a)
	if a.ID == "" || !a.Published || a.Version != 1 || made.header.Get("ETag") != `"v1"` {
		t.Fatalf("created: got %+v ETag %s; want a published announcement at v1", a, made.header.Get("ETag"))
	}
	if got := e.publicTitles(t, "五一期间"); len(got) != 1 || got[0] != draft["title"] {
		t.Fatalf("public list after publishing: got %v; want the new announcement", got)
	}

	path := "/admin/v1/announcements/" + a.ID
	e.do(t, "POST", path+"/unpublish", adminToken, nil, "If-Match", `"v1"`).want(t, 200).decode(t, &a)
	if a.Published || a.Version != 2 {
		t.Errorf("unpublished: got %+v; want hidden at v2", a)
	}
	if got := e.publicTitles(t, "五一期间"); len(got) != 0 {
		t.Errorf("public list after unpublishing: got %v; want none", got)
	}
	e.do(t, "GET", "/api/v1/announcements/"+a.ID, "", nil).want(t, 404)
	var all struct {
		Items []annJSON
		Total int
	}
	e.do(t, "GET", "/admin/v1/announcements?q="+url.QueryEscape("五一期间"), adminToken, nil).want(t, 200).decode(t, &all)
	if all.Total != 1 || all.Items[0].ID != a.ID || all.Items[0].Published {
		t.Errorf("staff list: got %+v; want the hidden announcement in it", all)
	}

	e.do(t, "POST", path+"/publish", adminToken, map[string]int{"version": 1}).want(t, 409)
	e.do(t, "POST", path+"/publish", adminToken, nil).want(t, 400) // no version at all
	e.do(t, "POST", path+"/publish", adminToken, map[string]int{"version": 2}).want(t, 200).decode(t, &a)
	e.do(t, "GET", "/api/v1/announcements/"+a.ID, "", nil).want(t, 200)

	published := a.PublishedAt
	draft["title"] = "元宝区大厅五一期间调整服务时间（更正）"
	draft["version"] = 3
	e.do(t, "PUT", path, adminToken, draft).want(t, 200).decode(t, &a)
	if a.Title != draft["title"] || a.Version != 4 || a.PublishedAt != published {
		t.Errorf("updated: got %+v; want the new title at v4, published at %s as before", a, published)
	}
	if got := e.publicTitles(t, "五一期间"); len(got) != 1 || got[0] != draft["title"] {
		t.Errorf("public list after the update: got %v; want the new title", got)
	}
	e.do(t, "PUT", path, adminToken, draft).want(t, 409)

	want := []string{"announcement.create", "announcement.unpublish", "announcement.publish", "announcement.publish",
		"announcement.publish", "announcement.update", "announcement.update"}
	rows := e.auditRows(t, len(want))
	for i, r := range rows[:len(want)] {
		if r.Action != want[i] || r.ActorRef != "s1001" {
			t.Errorf("audit entry %d: got %s by %s; want %s by s1001", i, r.Action, r.ActorRef, want[i])
		}
	}
}

func TestAnnouncementFaultsAreNamed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	bad := map[string]any{"category": "policy", "title": " ", "body": "正文", "effectiveFrom": "2026-06-01", "effectiveUntil": "2026-01-01"}
	p := e.do(t, "POST", "/admin/v1/announcements", adminToken, bad).want(t, 400).problem(t)
	for _, f := range []string{"title", "effectiveUntil"} {
		if !hasField(p, f) {
			t.Errorf("got %+v; want a fault on %s", p.Errors, f)
		}
	}
	e.do(t, "POST", "/admin/v1/announcements", adminToken, map[string]any{"category": "gossip", "title": "x", "body": "y"}).want(t, 400)
}
