package public_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/channels/public"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
)

const (
	rawID   = "21060219900101104X"
	rawName = "王小明"
)

// now is the clock of both services: the 2026 seed's policies are in force.
var now = time.Date(2026, 11, 29, 1, 30, 5, 0, time.UTC)

type fixture struct {
	app    *fiber.App
	docs   *document.Service
	store  *docStore
	board  *announcement.Service
	boardS *boardStore
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: &docStore{}, boardS: &boardStore{}}
	var err error
	f.docs, err = document.New(document.Config{Store: f.store, Renderer: pdfStub{}, Sealer: hashSealer{},
		VerifyBaseURL: "https://rs.dandong.example", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	seed, err := announcement.EmbeddedSeed()
	if err != nil {
		t.Fatal(err)
	}
	f.board, err = announcement.Open(context.Background(), announcement.Config{Store: f.boardS, Seed: seed, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.DiscardHandler)
	f.app = fiber.New(fiber.Config{ErrorHandler: web.HandleError(logger), DisableStartupMessage: true})
	f.app.Use(web.RequestID(), web.Recover(logger))
	public.Register(web.NewAPI(f.app, "测试", "1.0"), f.app, f.docs, f.board)
	return f
}

func (f *fixture) get(t *testing.T, path string, header ...string) (*http.Response, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := f.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (f *fixture) print(t *testing.T) document.Printed {
	t.Helper()
	p, err := f.docs.Issue(context.Background(), document.Document{
		Kind: document.PersonalStatement, Subject: document.Subject{Name: rawName, ID: rawID}, PageSize: document.A4,
		Issuer: document.Issuer{Channel: domain.Kiosk, DeviceID: "KIOSK-0012"},
		Sections: []document.Section{{Heading: "基本养老保险", Rows: []document.Row{{Label: "累计缴费月数", Value: "216个月"}},
			Table: &document.Table{Columns: []string{"单位", "姓名"}, Rows: [][]string{{"某公司", "李*"}}}}},
		RequestedBy: document.Actor{Kind: audit.Person, Ref: "ref"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerifyPageSaysAuthentic(t *testing.T) {
	f := newFixture(t)
	p := f.print(t)
	resp, body := f.get(t, "/verify/"+strings.ToLower(p.Serial))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("got %d %s; want 200 HTML", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"真实有效", "个人对账单", p.Serial, "王** 2106**********104X", "2026年11月29日 09:30:05",
		"自助一体机", p.Digest, "累计缴费月数", "216个月", `name="viewport"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, raw := range []string{rawID, rawName, "李*"} { // nor the table, which stays on paper
		if strings.Contains(body, raw) {
			t.Errorf("page shows %q", raw)
		}
	}
	for h, want := range map[string]string{"Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: got %q; want %q", h, got, want)
		}
	}
}

func TestVerifyPageUnknownSerialIs404(t *testing.T) {
	f := newFixture(t)
	for _, serial := range []string{"DDRS20261129ZZZZZZZZ", "not-a-serial"} {
		resp, body := f.get(t, "/verify/"+serial)
		if resp.StatusCode != 404 || !strings.Contains(body, "未找到该文书") || strings.Contains(body, "真实有效") {
			t.Errorf("%s: got %d; want 404 saying 未找到该文书:\n%s", serial, resp.StatusCode, body)
		}
	}
}

func TestVerifyPageWhenTheStoreIsDown(t *testing.T) {
	f := newFixture(t)
	p := f.print(t)
	f.store.down = true
	resp, body := f.get(t, "/verify/"+p.Serial)
	if resp.StatusCode != 503 || !strings.Contains(body, "暂时无法核验") {
		t.Errorf("got %d; want a 503 page asking to try later:\n%s", resp.StatusCode, body)
	}
}

func TestAlteredRecordIsNotVouchedFor(t *testing.T) {
	f := newFixture(t)
	p := f.print(t)
	r := f.store.records[p.Serial]
	r.Content.Sections[0].Rows[0].Value = "360个月"
	f.store.records[p.Serial] = r

	_, page := f.get(t, "/verify/"+p.Serial)
	if strings.Contains(page, "真实有效") || !strings.Contains(page, "记录校验未通过") || strings.Contains(page, "360个月") {
		t.Errorf("altered record: page should refuse to vouch and show none of it:\n%s", page)
	}
	_, body := f.get(t, "/api/v1/verify/"+p.Serial)
	var v map[string]any
	json.Unmarshal([]byte(body), &v)
	if v["authentic"] != false || v["subject"] != nil {
		t.Errorf("altered record JSON: got %s; want authentic false and nothing else shown", body)
	}
}

func TestVerifyJSON(t *testing.T) {
	f := newFixture(t)
	p := f.print(t)
	resp, body := f.get(t, "/api/v1/verify/"+p.Serial)
	if resp.StatusCode != 200 {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	var v struct {
		Serial, KindName, Subject, IssuedAt, Digest, ChannelName string
		Authentic                                                bool
		Facts                                                    []struct{ Section, Label, Value string }
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Authentic || v.Serial != p.Serial || v.KindName != "个人对账单" || v.Subject != "王** 2106**********104X" ||
		v.IssuedAt != "2026-11-29T09:30:05+08:00" || v.Digest != p.Digest || v.ChannelName != "自助一体机" ||
		len(v.Facts) != 1 || v.Facts[0].Value != "216个月" {
		t.Errorf("got %+v", v)
	}
	if strings.Contains(body, rawID) || strings.Contains(body, rawName) {
		t.Errorf("JSON shows raw personal data: %s", body)
	}
	resp, body = f.get(t, "/api/v1/verify/DDRS20261129ZZZZZZZZ")
	if resp.StatusCode != 404 || resp.Header.Get("Content-Type") != web.ProblemContentType || !strings.Contains(body, "未找到该文书") {
		t.Errorf("unknown serial: got %d %s; want a 404 problem", resp.StatusCode, body)
	}
}

type listBody struct {
	Items []struct {
		ID, Title, Summary, CategoryName, PublishedAt, Effect, EffectName string
		Pinned                                                            bool
	}
	Page, PageSize, Total, Pages int
	Categories                   []struct{ Code, Name string }
}

func (f *fixture) list(t *testing.T, query string) listBody {
	t.Helper()
	resp, body := f.get(t, "/api/v1/announcements"+query)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: got %d %s", query, resp.StatusCode, body)
	}
	var l listBody
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestAnnouncementList(t *testing.T) {
	f := newFixture(t)
	all := f.list(t, "")
	if all.PageSize != 8 || len(all.Items) != 8 || all.Total < 20 || len(all.Categories) != 4 || all.Categories[3].Name != "特殊人群政策" {
		t.Errorf("default list: got %d items of %d, page size %d, categories %v; want a touch-screen page of 8 and the 4 tabs",
			len(all.Items), all.Total, all.PageSize, all.Categories)
	}
	p2 := f.list(t, "?category=procedure&page=2&size=6")
	if p2.Total != 8 || p2.Pages != 2 || len(p2.Items) != 2 || p2.Items[0].CategoryName != "经办业务" {
		t.Errorf("procedure page 2: got %d items of %d on %d pages; want 2 of 8 on 2", len(p2.Items), p2.Total, p2.Pages)
	}
	hits := f.list(t, "?q="+url.QueryEscape("失业保险金"))
	var ids []string
	for _, it := range hits.Items {
		ids = append(ids, it.ID)
	}
	if !slices.Contains(ids, "unemployment-benefit-guide") || slices.Contains(ids, "pension-certification-guide") {
		t.Errorf("search 失业保险金: got %v", ids)
	}
	law := f.list(t, "?category=law")
	if law.Items[0].ID != "social-insurance-law" || !law.Items[0].Pinned || law.Items[0].EffectName != "现行有效" ||
		law.Items[0].PublishedAt != "2026-01-05T00:00:00+08:00" {
		t.Errorf("law list head: got %+v; want the pinned Social Insurance Law, in force", law.Items[0])
	}

	resp, body := f.get(t, "/api/v1/announcements?category=poems&page=0")
	if resp.StatusCode != 400 || !strings.Contains(body, `"field":"category"`) || !strings.Contains(body, `"field":"page"`) {
		t.Errorf("bad query: got %d %s; want 400 naming category and page", resp.StatusCode, body)
	}
}

func TestAnnouncementListETag(t *testing.T) {
	f := newFixture(t)
	resp, _ := f.get(t, "/api/v1/announcements?category=policy")
	etag := resp.Header.Get("ETag")
	if !strings.HasPrefix(etag, `W/"`) || resp.Header.Get("Cache-Control") == "" {
		t.Fatalf("got ETag %q, Cache-Control %q; want a weak ETag and caching", etag, resp.Header.Get("Cache-Control"))
	}
	resp, body := f.get(t, "/api/v1/announcements?category=policy", "If-None-Match", etag)
	if resp.StatusCode != 304 || body != "" || resp.Header.Get("ETag") != etag {
		t.Errorf("unchanged list: got %d with %d bytes; want 304 and no body", resp.StatusCode, len(body))
	}
	resp, _ = f.get(t, "/api/v1/announcements?category=policy", "If-None-Match", `W/"other", `+etag)
	if resp.StatusCode != 304 {
		t.Errorf("ETag in a list: got %d; want 304", resp.StatusCode)
	}

	// An administrator's edit anywhere changes every list's ETag.
	a, _ := f.board.Admin(context.Background(), "personal-pension")
	if _, err := f.board.SetPublished(context.Background(), a.ID, false, a.Version); err != nil {
		t.Fatal(err)
	}
	resp, body = f.get(t, "/api/v1/announcements?category=policy", "If-None-Match", etag)
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == etag || strings.Contains(body, "personal-pension") {
		t.Errorf("after unpublishing: got %d, ETag %q; want 200, a new ETag and the item gone", resp.StatusCode, resp.Header.Get("ETag"))
	}
}

func TestAnnouncementDetailETag(t *testing.T) {
	f := newFixture(t)
	resp, body := f.get(t, "/api/v1/announcements/pension-certification-guide")
	if resp.StatusCode != 200 {
		t.Fatalf("got %d %s", resp.StatusCode, body)
	}
	var d struct {
		Title      string
		Paragraphs []string
	}
	json.Unmarshal([]byte(body), &d)
	if d.Title != "养老保险待遇资格认证办理指南" || len(d.Paragraphs) < 3 {
		t.Errorf("detail: got %q with %d paragraphs", d.Title, len(d.Paragraphs))
	}
	etag := resp.Header.Get("ETag")
	if resp, _ := f.get(t, "/api/v1/announcements/pension-certification-guide", "If-None-Match", etag); resp.StatusCode != 304 {
		t.Errorf("unchanged detail: got %d; want 304", resp.StatusCode)
	}
	a, _ := f.board.Admin(context.Background(), "pension-certification-guide")
	dr := announcement.Draft{Category: a.Category, Title: "养老保险待遇资格认证办理指南（2027版）", Body: a.Body, Source: a.Source, PublishedAt: a.PublishedAt}
	if _, err := f.board.Update(context.Background(), a.ID, dr, a.Version); err != nil {
		t.Fatal(err)
	}
	resp, body = f.get(t, "/api/v1/announcements/pension-certification-guide", "If-None-Match", etag)
	if resp.StatusCode != 200 || !strings.Contains(body, "2027版") {
		t.Errorf("after an edit: got %d; want 200 with the new title", resp.StatusCode)
	}
	if resp, _ := f.get(t, "/api/v1/announcements/no-such-thing"); resp.StatusCode != 404 {
		t.Errorf("unknown id: got %d; want 404", resp.StatusCode)
	}
}
