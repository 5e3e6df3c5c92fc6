package wechat_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/wechat"
	"github.com/dandong-hrss/hrss/domain"
)

func testH5Pages(t *testing.T, h *harness) {
	p := h.people(t, 1)[0]
	token := h.session(t, "oDdHrssH5PagesFollower0001")
	h.bindBySMS(t, token, p)

	t.Run("JS-SDK signature", func(t *testing.T) { testJSConfig(t, h) })
	t.Run("menu", func(t *testing.T) { testSetMenu(t, h) })
	t.Run("OpenAPI", func(t *testing.T) { testOpenAPI(t, h) })
	t.Run("Chinese problems", func(t *testing.T) { testProblems(t, h, token) })
	t.Run("lock status", func(t *testing.T) { testLockStatus(t, h, token, p) })
	t.Run("insured and reimbursements", func(t *testing.T) { testQueries(t, h, token, p) })
	t.Run("payment institutions", func(t *testing.T) { testInstitutions(t, h) })
	t.Run("matters", func(t *testing.T) { testMatters(t, h) })
	t.Run("materials", func(t *testing.T) { testMaterials(t, h, token, p) })
}

func testJSConfig(t *testing.T, h *harness) {
	page := publicURL + "/h5/apply/transfer.pension?step=2"
	var cfg wechat.WxJSConfigOutput
	h.must(t, http.StatusOK, request{method: "POST", path: "/wechat/v1/jssdk/config",
		body: map[string]string{"url": page + "#materials"}}, &cfg.Body)
	ticket := h.sims.WeChat.JSAPITicket()
	plain := fmt.Sprintf("jsapi_ticket=%s&noncestr=%s&timestamp=%d&url=%s", ticket, cfg.Body.NonceStr, cfg.Body.Timestamp, page)
	sum := sha1.Sum([]byte(plain))
	if want := hex.EncodeToString(sum[:]); ticket == "" || cfg.Body.Signature != want || cfg.Body.AppID == "" {
		t.Errorf("config %+v; want signature %s over %q", cfg.Body, want, plain)
	}
	if d := time.Since(time.Unix(cfg.Body.Timestamp, 0)); d < 0 || d > time.Minute {
		t.Errorf("timestamp is %v from now; want the present", d)
	}
	status, raw := h.do(t, request{method: "POST", path: "/wechat/v1/jssdk/config",
		body: map[string]string{"url": "https://evil.example.com/h5/x"}}, nil)
	if pr := problem(t, raw); status != http.StatusBadRequest || len(pr.Errors) != 1 || pr.Errors[0].Field != "url" {
		t.Errorf("a page of another site: %d %s; want 400 on url", status, raw)
	}
}

func testSetMenu(t *testing.T, h *harness) {
	ctx := context.Background()
	file := filepath.Join("..", "..", wechat.MenuFile)
	if err := wechat.SetMenuCommand(ctx, h.wx, file); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(file)
	var compact bytes.Buffer
	json.Compact(&compact, want)
	if got := h.sims.WeChat.Menu(); !bytes.Equal(got, compact.Bytes()) {
		t.Errorf("the platform's menu is\n%s\nwant the file's\n%s", got, compact.Bytes())
	}
	for _, name := range []string{"异地接转", "参保人更名", "办件进度", "缴费机构", "绑定/解绑"} {
		if !strings.Contains(string(h.sims.WeChat.Menu()), name) {
			t.Errorf("menu lacks %s", name)
		}
	}

	bad := filepath.Join(t.TempDir(), "menu.json")
	os.WriteFile(bad, []byte(`{"button":[{"type":"click","name":"查询","key":"NO_SUCH_KEY"}]}`), 0o600)
	err := wechat.SetMenuCommand(ctx, h.wx, bad)
	var de *domain.Error
	if !domain.IsCode(err, domain.Invalid) || !asDomain(err, &de) || de.Fields[0].Field != "button[0].key" {
		t.Errorf("menu with a key the callback does not answer: %v; want Invalid on button[0].key", err)
	}
	if got := h.sims.WeChat.Menu(); !bytes.Equal(got, compact.Bytes()) {
		t.Errorf("a refused menu replaced the platform's: %s", got)
	}
}

func testOpenAPI(t *testing.T, h *harness) {
	var doc struct {
		OpenAPI string
		Paths   map[string]map[string]struct {
			Summary  string
			Security []map[string][]string
		}
		Components struct {
			SecuritySchemes map[string]struct{ Scheme string }
		}
	}
	h.must(t, http.StatusOK, request{method: "GET", path: "/openapi.json"}, &doc)
	if doc.OpenAPI != "3.1.0" || doc.Components.SecuritySchemes["wechatSession"].Scheme != "bearer" {
		t.Errorf("openapi %q, schemes %+v; want 3.1.0 with the bearer session", doc.OpenAPI, doc.Components.SecuritySchemes)
	}
	routes := map[string][]string{
		"/wechat/v1/oauth/authorize": {"get"}, "/wechat/v1/sessions": {"post"}, "/wechat/v1/sessions/current": {"delete"},
		"/wechat/v1/me": {"get"}, "/wechat/v1/binding/code": {"post"}, "/wechat/v1/binding": {"post", "delete"},
		"/wechat/v1/relatives": {"get", "post"}, "/wechat/v1/relatives/code": {"post"}, "/wechat/v1/relatives/{id}": {"delete"},
		"/wechat/v1/matters": {"get"}, "/wechat/v1/matters/{code}/form": {"get"}, "/wechat/v1/materials": {"post"},
		"/wechat/v1/applications": {"get", "post"}, "/wechat/v1/applications/{id}": {"get"}, "/wechat/v1/insured": {"get"},
		"/wechat/v1/reimbursements": {"get"}, "/wechat/v1/lock-status": {"get"}, "/wechat/v1/payment-institutions": {"get"},
		"/wechat/v1/jssdk/config": {"post"}, wechat.CallbackPath: {"get", "post"},
	}
	for path, methods := range routes {
		for _, m := range methods {
			if op, ok := doc.Paths[path][m]; !ok || op.Summary == "" {
				t.Errorf("%s %s is not described", strings.ToUpper(m), path)
			}
		}
	}
	if sec := doc.Paths["/wechat/v1/applications"]["get"].Security; len(sec) != 1 {
		t.Errorf("applications security %v; want the session", sec)
	}
}

func testProblems(t *testing.T, h *harness, token string) {
	tests := []struct {
		name  string
		r     request
		field string
		msg   string
	}{
		{"bad ID number", request{method: "POST", path: "/wechat/v1/binding/code", token: token,
			body: map[string]string{"idNumber": "210602198001011235", "name": "张三"}}, "idNumber", "校验位"},
		{"no idempotency key", request{method: "POST", path: "/wechat/v1/applications", token: token,
			body: map[string]any{"matterCode": "transfer.pension", "form": map[string]any{}}}, "idempotencyKey", "幂等键"},
		{"form missing a field", request{method: "POST", path: "/wechat/v1/applications", token: token, idemKey: "wx-problem-01",
			body: map[string]any{"matterCode": "transfer.pension", "form": map[string]any{"name": "张三"}}}, "phone", "联系电话"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := h.do(t, tt.r, nil)
			pr := problem(t, raw)
			found := false
			for _, f := range pr.Errors {
				found = found || strings.EqualFold(f.Field, tt.field) && strings.Contains(f.Message, tt.msg)
			}
			if status != http.StatusBadRequest || pr.Code != domain.Invalid || !found {
				t.Errorf("got %d %s; want 400 with %s: …%s…", status, raw, tt.field, tt.msg)
			}
		})
	}
	status, raw := h.do(t, request{method: "POST", path: "/wechat/v1/applications", token: token, idemKey: "wx-problem-02",
		body: map[string]any{"matterCode": "injury.medical_reimbursement", "form": map[string]any{}}}, nil)
	if status != http.StatusNotFound || !strings.Contains(problem(t, raw).Detail, "公众号") {
		t.Errorf("a matter not offered on WeChat: %d %s; want 404 saying so", status, raw)
	}
}

func testLockStatus(t *testing.T, h *harness, token string, p person) {
	var before wechat.WxLockStatusOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/lock-status", token: token}, &before.Body)
	if before.Body.Locked || before.Body.Notice == "" || len(before.Body.Coverages) == 0 {
		t.Fatalf("before any application: %+v; want unlocked, with the coverages and the notice", before.Body)
	}
	id := h.submit(t, token, "", "wx-lock-00001", p)
	var after wechat.WxLockStatusOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/lock-status", token: token}, &after.Body)
	if !after.Body.Locked || len(after.Body.Locks) != 1 || after.Body.Locks[0].ApplicationID != id {
		t.Errorf("with a transfer pending: %+v; want locked by it", after.Body)
	}
}

func testQueries(t *testing.T, h *harness, token string, p person) {
	var ins wechat.WxInsuredOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/insured", token: token}, &ins.Body)
	if ins.Body.IDNumber != domainMasked(p.id) || ins.Body.PersonStatus == "" || len(ins.Body.Coverages) == 0 {
		t.Errorf("insured %+v; want the person's masked ID, status and coverages", ins.Body)
	}
	var re wechat.WxReimbursementsOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/reimbursements?year=2025", token: token}, &re.Body)
	if re.Body.Year != 2025 || !strings.HasPrefix(re.Body.Total, "￥") || len(re.Body.Items) > 10 ||
		len(re.Body.Items) == 0 && re.Body.Notice == "" {
		t.Errorf("reimbursements %+v; want 2025 with a total and at most 10 rows, or a notice", re.Body)
	}
}

func testInstitutions(t *testing.T, h *harness) {
	var all, tax wechat.WxInstitutionsOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/payment-institutions"}, &all.Body)
	if all.Body.Paging.Total < 10 || len(all.Body.Items) != 10 || !all.Body.Paging.HasNext || all.Body.Notice == "" {
		t.Errorf("first page %+v; want 10 of more than 10 institutions and the notice", all.Body.Paging)
	}
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/payment-institutions?kind=tax&district=" + "东港市"}, &tax.Body)
	if len(tax.Body.Items) != 1 || tax.Body.Items[0].District != "东港市" || tax.Body.Items[0].KindLabel != "税务办税服务厅" {
		t.Errorf("tax halls of 东港市: %+v; want one", tax.Body.Items)
	}
}

func testMatters(t *testing.T, h *harness) {
	var out wechat.WxMattersOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/matters"}, &out.Body)
	names := map[string]bool{}
	for _, m := range out.Body.Items {
		names[m.Code] = true
	}
	// Seed 2.1(五)1: the account's applications.
	for _, code := range []string{"transfer.pension", "insured.name_change", "insured.death_stop", "pension.retirement",
		"pension.remote_residence", "pension.account_refund", "pension.survivor_benefit"} {
		if !names[code] {
			t.Errorf("matters lack %s", code)
		}
	}
	var form wechat.WxFormOutput
	h.must(t, http.StatusOK, request{method: "GET", path: "/wechat/v1/matters/transfer.pension/form?situation=transfer_out"}, &form.Body)
	if form.Body.Situation != "transfer_out" || len(form.Body.Fields) == 0 {
		t.Errorf("form %+v; want the transfer-out form", form.Body)
	}
}

func asDomain(err error, de **domain.Error) bool {
	e, ok := err.(*domain.Error)
	*de = e
	return ok && len(e.Fields) > 0
}

func testMaterials(t *testing.T, h *harness, token string, p person) {
	var up wechat.WxUploadOutput
	h.must(t, http.StatusCreated, request{method: "POST", path: "/wechat/v1/materials", token: token,
		body: []byte("%PDF-1.4\n% 参保缴费凭证\n%%EOF\n")}, &up.Body)
	if !strings.HasPrefix(up.Body.Hash, "sha256:") || up.Body.Type != "application/pdf" {
		t.Fatalf("upload %+v; want a sha256 reference to a PDF", up.Body)
	}
	status, raw := h.do(t, request{method: "POST", path: "/wechat/v1/materials", token: token, body: []byte("MZ\x90 not a scan")}, nil)
	if status != http.StatusBadRequest || problem(t, raw).Code != domain.Invalid {
		t.Errorf("uploading an executable: %d %s; want 400", status, raw)
	}
	var out wechat.WxSubmittedOutput
	h.must(t, http.StatusCreated, request{method: "POST", path: "/wechat/v1/applications", token: token, idemKey: "wx-material-01",
		body: map[string]any{"matterCode": "transfer.pension", "form": transferForm(p),
			"materials": []map[string]string{{"name": "参保缴费凭证", "hash": up.Body.Hash}}}}, &out.Body)
	app, err := h.apps.Application(context.Background(), out.Body.Applications[0].ID)
	if err != nil || len(app.Materials) != 1 || app.Materials[0].Hash != up.Body.Hash {
		t.Errorf("stored application materials %+v, %v; want the uploaded file", app.Materials, err)
	}
}
