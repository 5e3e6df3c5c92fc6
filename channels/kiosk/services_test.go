package kiosk_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
)

// post sends a signed POST with an Idempotency-Key ("" for none).
func (k *kioskClient) post(target string, body any, key string) response {
	k.t.Helper()
	req := k.request(http.MethodPost, target, body)
	if key != "" {
		req.Header.Set(kiosk.HeaderIdempotencyKey, key)
	}
	return k.env.send(k.t, req)
}

// decode reads r's JSON body into v, failing unless r has status.
func decode(t *testing.T, r response, status int, v any) {
	t.Helper()
	if r.status != status {
		t.Fatalf("got %d %s; want %d", r.status, r.body, status)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%v in %s", err, r.body)
	}
}

// printed is a print answer: the PDF and its text as a PDF reader reads it.
type printed struct {
	serial, paper, text string
	pdf                 []byte
	width               float64 // of the first page, in points
}

// print posts a print route and reads the PDF it answers.
func (k *kioskClient) print(target string) printed {
	k.t.Helper()
	r := k.post(target, nil, "")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" {
		k.t.Fatalf("print %s: got %d %q %.200s; want 200 application/pdf", target, r.status, r.header.Get("Content-Type"), r.body)
	}
	p := printed{serial: r.header.Get(kiosk.HeaderPrintSerial), paper: r.header.Get(kiosk.HeaderPrintPaper), pdf: r.body}
	p.text, p.width = pdfText(k.t, r.body)
	return p
}

var pageWidth = regexp.MustCompile(`Page size:\s+([\d.]+) x`)

// pdfText extracts a PDF's text with poppler's pdftotext, a real reader,
// and measures its first page with pdfinfo; spaces the layout puts between
// characters are dropped.
func pdfText(t *testing.T, pdf []byte) (string, float64) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install poppler-utils (apt-get install poppler-utils) to read the printed PDFs", tool)
		}
	}
	path := filepath.Join(t.TempDir(), "print.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext cannot read the print: %v\n%s", err, text)
	}
	info, err := exec.Command("pdfinfo", path).CombinedOutput()
	m := pageWidth.FindSubmatch(info)
	if err != nil || m == nil {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	w, _ := strconv.ParseFloat(string(m[1]), 64)
	return strings.Join(strings.Fields(string(text)), ""), w
}

// The widths of the papers in points: A4 is 210 mm, the receipt roll 80 mm.
const (
	a4Width      = 595.28
	receiptWidth = 226.77
)

func near(a, b float64) bool { return a-b < 1 && b-a < 1 }

// verified is the public verification of a serial.
type verified struct {
	Serial    string
	Authentic bool
	Kind      string
	Title     string
	Subject   string
	Channel   string
}

// verify asks the public verify route, unsigned, as a phone scanning the
// QR code's serial would.
func verify(t *testing.T, e *env, serial string) verified {
	t.Helper()
	var v verified
	decode(t, e.send(t, httptest.NewRequest(http.MethodGet, "/api/v1/verify/"+serial, nil)), 200, &v)
	return v
}

// waitFinal follows an application on the kiosk's progress page until the
// counter core has finished it.
func (k *kioskClient) waitFinal(id string) kiosk.ApplicationView {
	k.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var v kiosk.ApplicationView
		k.get("/kiosk/v1/applications/"+id, &v)
		if v.Final {
			return v
		}
		if time.Now().After(deadline) {
			k.t.Fatalf("application %s not finished within 10 s: %+v", id, v)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// faceToken is what the kiosk's camera gets from the e-card platform for
// the person's face: the capture goes to the platform, the token back.
func faceToken(t *testing.T, p sim.SamplePerson, liveness string) string {
	t.Helper()
	name, _ := coreSim.RealName(p.ID)
	if liveness != provsim.LivenessSpoof {
		liveness += "-" + kiosk.NewNonce() // the platform refuses a capture it has seen
	}
	token, err := faces.FaceCheck(context.Background(), ecard.FaceCapture{Person: id(t, p), Name: name, Liveness: liveness})
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// enterpriseClerk is an employed person of an enterprise (not a public
// institution, which declares elsewhere).
func enterpriseClerk(t *testing.T) sim.SamplePerson {
	t.Helper()
	for _, p := range coreSim.Sample(80) {
		if p.Status != "在职" || !strings.HasPrefix(p.UnitCode, "91") {
			continue
		}
		if u, err := core.Unit(context.Background(), domain.CreditCode(p.UnitCode)); err == nil && u.Type == insured.Enterprise {
			return p
		}
	}
	t.Fatal("no enterprise clerk among the samples")
	return sim.SamplePerson{}
}

// One kiosk in the hall serves a flexible worker, a pensioner and a unit
// clerk in turn: reading every kind of record, printing and verifying a
// statement, changing the base tier, certifying by face, filing a monthly
// assessment and rating it once the counter core has finished it.
func TestScriptedSelfService(t *testing.T) {
	t.Parallel()
	e := newEnv(t, newInfra(t, nil))
	k := e.kiosk(t, "kiosk-yb-001")
	var bodies []string
	keep := func(r response) response { bodies = append(bodies, string(r.body)); return r }

	// 灵活就业: reads, a statement printed and verified, a new base tier.
	_, p := k.openPerson("灵活就业")
	pid := id(t, p)
	for _, target := range []string{"/kiosk/v1/person/overview", "/kiosk/v1/person/contributions?type=pension",
		"/kiosk/v1/pension/account", "/kiosk/v1/work-injury/records", "/kiosk/v1/unemployment/claims",
		"/kiosk/v1/unemployment/payments", "/kiosk/v1/unemployment/applications"} {
		if r := keep(k.do(http.MethodGet, target, nil)); r.status != 200 {
			t.Fatalf("GET %s: got %d %s; want 200", target, r.status, r.body)
		}
	}
	st := k.print("/kiosk/v1/prints/personal-statement")
	if !strings.Contains(st.text, "个人对账单") || !strings.Contains(st.text, pid.Masked()) || !strings.Contains(st.text, st.serial) ||
		!strings.Contains(st.text, "养老保险个人账户") || strings.Contains(st.text, p.ID) || st.paper != "a4" || !near(st.width, a4Width) {
		t.Errorf("statement %s on %s (%.1fpt): got text %.300q; want the title, the masked ID and the serial on A4", st.serial, st.paper, st.width, st.text)
	}
	if v := verify(t, e, st.serial); !v.Authentic || v.Kind != "personal_statement" || !strings.Contains(v.Subject, pid.Masked()) || v.Channel != "kiosk" {
		t.Errorf("verify %s: got %+v; want an authentic kiosk statement of %s", st.serial, v, pid.Masked())
	}

	var tiers kiosk.BaseTierView
	k.get("/kiosk/v1/pension/base-tier", &tiers)
	pick := slices.IndexFunc(tiers.Rows, func(r kiosk.TierRow) bool { return r.Selectable })
	if pick < 0 || tiers.EffectiveMonth != "2025年7月" {
		t.Fatalf("base tiers: got %+v; want a selectable tier effective 2025年7月", tiers)
	}
	change := map[string]int{"percent": tiers.Rows[pick].Percent}
	if pr := problem(t, k.post("/kiosk/v1/pension/base-tier", change, ""), 400, domain.Invalid); len(pr.Errors) != 1 ||
		pr.Errors[0].Field != kiosk.HeaderIdempotencyKey || pr.Errors[0].Message != "此项为必填项" {
		t.Errorf("a change without a key: got %+v; want Idempotency-Key 此项为必填项", pr.Errors)
	}
	var filed, again kiosk.ApplicationView
	decode(t, keep(k.post("/kiosk/v1/pension/base-tier", change, "tier-change-0001")), 201, &filed)
	decode(t, k.post("/kiosk/v1/pension/base-tier", change, "tier-change-0001"), 201, &again)
	if filed.Title != "灵活就业人员缴费基数档次变更" || again.ID != filed.ID {
		t.Errorf("base-tier change: got %+v, then %s for the same key; want one application", filed, again.ID)
	}
	if done := k.waitFinal(filed.ID); done.Status != "completed" || field(t, done.Summary, "办件编号") == "—" {
		t.Errorf("base-tier change: got %s (%s); want completed with a case number", done.Status, done.StatusLabel)
	}
	var mine kiosk.ApplicationsView
	k.get("/kiosk/v1/applications", &mine)
	if len(mine.Rows) != 1 || mine.Rows[0].ID != filed.ID || mine.Rows[0].Status != "已办结" || mine.Rows[0].Channel != domain.Kiosk.Label() {
		t.Errorf("my applications: got %+v; want the one change, 已办结", mine.Rows)
	}

	// 退休: the benefit, a face certification, its receipt.
	_, p = k.openPerson("退休")
	pid = id(t, p)
	var cs kiosk.PensionCertificationView
	k.get("/kiosk/v1/pension/certification", &cs)
	if !cs.CanCertify {
		t.Fatalf("certification before: got %+v; want one to make", cs)
	}
	spoof := problem(t, k.post("/kiosk/v1/pension/certification", map[string]string{"faceToken": faceToken(t, p, provsim.LivenessSpoof)}, "cert-spoof-01"), 422, domain.Rejected)
	if spoof.Detail != "人脸识别未通过，请在光线充足处正对镜头重试，或由工作人员上门认证" {
		t.Errorf("a spoofed face: got %q", spoof.Detail)
	}
	token := faceToken(t, p, "kiosk-camera")
	decode(t, keep(k.post("/kiosk/v1/pension/certification", map[string]string{"faceToken": token}, "cert-face-0001")), 200, &cs)
	if cs.State != certification.Certified || cs.CanCertify || field(t, cs.Summary, "认证方式") != "自助一体机刷脸认证" {
		t.Errorf("certification: got %+v; want certified by kiosk face", cs)
	}
	decode(t, k.post("/kiosk/v1/pension/certification", map[string]string{"faceToken": token}, "cert-face-0001"), 200, &cs)
	if cs.State != certification.Certified || !slices.Equal(e.backend.forwarded.kinds(), []certification.EventKind{certification.EventCertified}) {
		t.Errorf("a repeated certification: got %s, forwarded %v; want the first one, forwarded once", cs.State, e.backend.forwarded.kinds())
	}
	rc := k.print("/kiosk/v1/prints/certification-receipt")
	if !strings.Contains(rc.text, "待遇资格认证结果") || !strings.Contains(rc.text, "已认证") || !strings.Contains(rc.text, pid.Masked()) ||
		rc.paper != "receipt80mm" || !near(rc.width, receiptWidth) {
		t.Errorf("certification receipt on %s (%.1fpt): got %.300q; want the result on the 80 mm roll", rc.paper, rc.width, rc.text)
	}
	bs := k.print("/kiosk/v1/prints/benefit-slip")
	if !strings.Contains(bs.text, "待遇信息单") || !strings.Contains(bs.text, "基础养老金") {
		t.Errorf("benefit slip: got %.300q", bs.text)
	}

	// A unit clerk: the monthly assessment, filed, finished and rated; slips.
	clerk := enterpriseClerk(t)
	k.openUnit(t, clerk)
	var form kiosk.AssessmentFormView
	k.get("/kiosk/v1/unit/assessment-application", &form)
	if form.AssessMonth != "2025-06" || form.StaffCount == 0 || form.TotalWage == 0 {
		t.Fatalf("assessment form: got %+v; want June prefilled from the last assessment", form)
	}
	declared := map[string]any{"assessMonth": form.AssessMonth, "staffCount": form.StaffCount + 1, "totalWage": form.TotalWage + 520000}
	decode(t, keep(k.post("/kiosk/v1/unit/assessment-applications", declared, "assess-2025-06")), 201, &filed)
	if filed.Title != "单位月申报核定申请" {
		t.Errorf("assessment: got %+v", filed)
	}
	done := k.waitFinal(filed.ID)
	if done.Status != "completed" || !slices.ContainsFunc(done.RateStages, func(s kiosk.StageOption) bool { return s.Stage == "completed" }) {
		t.Fatalf("assessment: got %+v; want completed and open to rating", done)
	}
	var rated kiosk.RatingView
	decode(t, k.post("/kiosk/v1/applications/"+filed.ID+"/rating", map[string]any{"stage": "completed", "level": 1, "tags": []string{"办事效率高"}}, ""), 201, &rated)
	if field(t, rated.Summary, "评价") != "非常满意" {
		t.Errorf("rating: got %+v", rated)
	}
	problem(t, k.post("/kiosk/v1/applications/"+filed.ID+"/rating", map[string]any{"stage": "completed", "level": 2}, ""), 409, domain.Conflict)
	k.get("/kiosk/v1/applications/"+filed.ID, &done)
	if len(done.Ratings) != 1 || done.Ratings[0].Value != "非常满意" || slices.ContainsFunc(done.RateStages, func(s kiosk.StageOption) bool { return s.Stage == "completed" }) {
		t.Errorf("after rating: got ratings %+v, stages %+v", done.Ratings, done.RateStages)
	}
	slip := k.print("/kiosk/v1/prints/assessment-slip?month=2024-12")
	batch := k.print("/kiosk/v1/prints/batch-assessment?year=2024")
	large := k.print("/kiosk/v1/prints/large-amount-insurance?year=2024")
	receipt := k.print("/kiosk/v1/applications/" + filed.ID + "/receipt")
	for _, c := range []struct {
		p     printed
		wants []string
	}{
		{slip, []string{"单位缴费核定单", "2024年12月", clerk.UnitCode, "养老保险"}},
		{batch, []string{"批量核定单", "2024年1月", "2024年12月"}},
		{large, []string{"大额医疗保险", "￥96.00/人·年"}},
		{receipt, []string{"受理回执", filed.ID, "已办结"}},
	} {
		for _, w := range c.wants {
			if !strings.Contains(c.p.text, w) {
				t.Errorf("print %s: no %q in %.300q", c.p.serial, w, c.p.text)
			}
		}
		if v := verify(t, e, c.p.serial); !v.Authentic || !strings.Contains(v.Subject, clerk.UnitCode) {
			t.Errorf("verify %s: got %+v; want authentic, of the unit", c.p.serial, v)
		}
	}
	if receipt.paper != "receipt80mm" || slip.paper != "a4" {
		t.Errorf("papers: receipt %s, slip %s; want receipt80mm and a4", receipt.paper, slip.paper)
	}

	if r := k.do(http.MethodDelete, "/kiosk/v1/session", nil); r.status != http.StatusNoContent {
		t.Fatalf("take card: got %d", r.status)
	}
	for _, body := range append(bodies, e.logs.String()) {
		for _, sp := range append(slices.Collect(maps.Values(people)), clerk) {
			if strings.Contains(body, sp.ID) {
				t.Fatalf("a raw ID number was answered or logged: %.300s", body)
			}
		}
	}
	checkPrintAudited(t, e, people["灵活就业"], st.serial)
}

// checkPrintAudited fails unless the print of serial is in the person's
// audit trail twice: the document service's record of the print and the
// kiosk's, with the device.
func checkPrintAudited(t *testing.T, e *env, p sim.SamplePerson, serial string) {
	t.Helper()
	ctx := context.Background()
	if err := e.audit.Close(ctx); err != nil {
		t.Fatal(err)
	}
	entries, err := auditdb.New(e.db).ForSubject(ctx, privacy.IDIndex(e.sealer, id(t, p)), 1000)
	if err != nil {
		t.Fatal(err)
	}
	var printed, kioskPrint bool
	for _, en := range entries {
		printed = printed || en.Action == "document.print" && en.Detail["serial"] == serial && en.Channel == domain.Kiosk
		kioskPrint = kioskPrint || en.Action == "print.personal_statement" && en.Detail["serial"] == serial &&
			en.Detail["device"] == "kiosk-yb-001"
	}
	if !printed || !kioskPrint {
		t.Errorf("audit of print %s: document %v, kiosk %v in %d entries; want both", serial, printed, kioskPrint, len(entries))
	}
}
