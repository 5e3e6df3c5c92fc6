package enterprise_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dandong-hrss/hrss/integrations/sms"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// staffRows are n newcomers as rows of the staff-addition template.
func staffRows(n int) [][]string {
	rows := [][]string{{"序号", "姓名", "身份证号码", "手机号码", "入职日期", "缴费基数", "户口性质"}}
	for i := range n {
		rows = append(rows, []string{fmt.Sprint(i + 1), fmt.Sprintf("新职工%d", i), newID(i), fmt.Sprintf("137%08d", i),
			"2026-03-01", "4800.00", "城镇户口"})
	}
	return rows
}

func csvOf(rows [][]string) []byte {
	var b bytes.Buffer
	b.WriteString("\xEF\xBB\xBF")
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	return b.Bytes()
}

func xlsxOf(t *testing.T, rows [][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			f.SetCellStr("Sheet1", cell, v)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type appList struct {
	Applications []struct {
		ID          string `json:"id"`
		CaseNo      string `json:"caseNo"`
		MatterCode  string `json:"matterCode"`
		StatusLabel string `json:"statusLabel"`
		Applicant   string `json:"applicant"`
		SubmittedOn string `json:"submittedOn"`
		Progress    struct {
			Stage string `json:"stage"`
		} `json:"progress"`
	} `json:"applications"`
	Next string `json:"next"`
}

// The scripted employer session of issue 5: sign in with an SMS code,
// batch-add 500 staff from a file with 3 bad rows (refused by row number,
// nothing written), fix and resubmit, declare bases, file the monthly
// declaration, transfer a person out, apply for unemployment benefit for a
// leaver, and see every application's progress.
func TestEmployerSession(t *testing.T) {
	t.Parallel()
	// MariaDB here, SQLite in the other tests; staff slow, so the core's work does not crowd the box.
	w := newWorldPaced(t, storetest.MySQL(t), 5*time.Second)
	token := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	staff := w.employed(t, w.unitA)
	u := unit(w.unitA)

	// 500 newcomers; three rows spoilt: a check digit, a date, a household type.
	rows := staffRows(500)
	good := rows[4][2]
	rows[4][2] = good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
	rows[100][4] = "2026-02-30"
	rows[301][6] = "集体户"
	a := w.must(t, 400, call{method: "POST", path: u + "/batches/staff-additions", token: token, key: "add-500", file: csvOf(rows)})
	var p problem
	a.decode(t, &p)
	wantFields := []string{"第5行“身份证号码”", "第101行“入职日期”", "第302行“户口性质”"}
	var gotFields []string
	for _, e := range p.Errors {
		gotFields = append(gotFields, e.Field)
	}
	if !slices.Equal(gotFields, wantFields) || !strings.Contains(p.Detail, "3行") || !strings.Contains(p.Detail, "未办理任何业务") {
		t.Fatalf("bad rows: got %v (%s); want %v and a word that nothing was filed", gotFields, p.Detail, wantFields)
	}
	if n := w.count(t, "application"); n != 0 {
		t.Fatalf("after a refused batch: %d applications; want none", n)
	}

	// Fixed, and sent as an Excel workbook this time, under a new key.
	rows[4][2], rows[100][4], rows[301][6] = good, "2026-03-01", "农村户口"
	var batch struct {
		ID             string   `json:"id"`
		Rows           int      `json:"rows"`
		Filed          bool     `json:"filed"`
		ApplicationIDs []string `json:"applicationIds"`
	}
	w.must(t, 201, call{method: "POST", path: u + "/batches/staff-additions", token: token, key: "add-500-fixed", file: xlsxOf(t, rows)}).decode(t, &batch)
	if batch.Rows != 500 || !batch.Filed || len(batch.ApplicationIDs) != 500 {
		t.Fatalf("batch: got %d rows, filed %v, %d applications; want 500 filed", batch.Rows, batch.Filed, len(batch.ApplicationIDs))
	}
	// The same upload again (a lost answer, a double click) files nothing more.
	var again struct {
		ID string `json:"id"`
	}
	w.must(t, 201, call{method: "POST", path: u + "/batches/staff-additions", token: token, key: "add-500-fixed", file: xlsxOf(t, rows)}).decode(t, &again)
	if n := w.count(t, "application"); n != 500 || again.ID != batch.ID {
		t.Fatalf("after a repeated upload: %d applications, batch %s; want 500 and the first batch %s", n, again.ID, batch.ID)
	}

	// Annual bases of the staff on the roll.
	bases := [][]string{{"姓名", "身份证号码", "缴费基数"}}
	for i, m := range staff {
		bases = append(bases, []string{m.Name, m.ID.Raw(), fmt.Sprintf("%d.50", 5000+i)})
	}
	w.must(t, 201, call{method: "POST", path: u + "/batches/base-declarations?year=2026", token: token, key: "bases-2026", file: csvOf(bases)})

	// The monthly declaration with one wage change.
	var monthly struct {
		Applications []struct {
			MatterCode string `json:"matterCode"`
		} `json:"applications"`
	}
	w.must(t, 201, call{method: "POST", path: u + "/monthly-declarations", token: token, key: "month-2026-03", body: map[string]any{
		"assessMonth": "2026-03", "staffCount": len(staff) + 500, "totalWage": 123456789,
		"wageChanges": []map[string]any{{"name": staff[0].Name, "idNumber": staff[0].ID.Raw(), "wage": 650000}}}}).decode(t, &monthly)
	if len(monthly.Applications) != 2 || monthly.Applications[1].MatterCode != "unit.wage_change" {
		t.Fatalf("monthly declaration: got %+v; want the assessment and one wage change", monthly.Applications)
	}

	// Transfer a person out to Shenyang; the platform's statuses are texted.
	leaver := staff[1]
	var tr struct {
		ApplicationID string `json:"applicationId"`
		Number        string `json:"number"`
		StatusLabel   string `json:"statusLabel"`
		Person        string `json:"person"`
	}
	w.must(t, 201, call{method: "POST", path: u + "/transfers", token: token, key: "transfer-1", body: map[string]any{
		"direction": "out", "name": leaver.Name, "idNumber": leaver.ID.Raw(), "phone": "13722220001",
		"region": map[string]string{"code": "210100", "name": "沈阳市"}, "agency": "沈阳某公司"}}).decode(t, &tr)
	if tr.Number == "" || tr.StatusLabel != "受理中" || strings.Contains(tr.Person, leaver.ID.Raw()) {
		t.Fatalf("transfer: got %+v; want the platform's number, 受理中, the person masked", tr)
	}
	// The platform moves on; the poller the wiring runs and the unit's own
	// look both follow it.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && tr.StatusLabel != "办结" && tr.StatusLabel != "退回" {
		time.Sleep(50 * time.Millisecond)
		if _, err := w.ch.PollTransfers(ctx, 10); err != nil {
			t.Fatal(err)
		}
		w.must(t, 200, call{method: "GET", path: u + "/transfers/" + tr.ApplicationID, token: token}).decode(t, &tr)
	}
	if n, _ := w.ch.PollTransfers(ctx, 10); n != 0 {
		t.Errorf("after the transfer ended: %d open transfers; want none", n)
	}
	texts := transferTexts(t, w.smsURL, "13722220001")
	if len(texts) < 2 || !strings.Contains(texts[0], "已受理") {
		t.Errorf("transfer texts: got %q; want 已受理 and the later statuses, each once", texts)
	}

	// Unemployment benefit for a leaver (单位代报 申领登记).
	var claim filedApps
	w.must(t, 201, call{method: "POST", path: u + "/unemployment-claims", token: token, key: "claim-1", body: map[string]any{
		"name": staff[2].Name, "idNumber": staff[2].ID.Raw(), "phone": "13722220002", "separationDate": "2026-02-28",
		"separationReason": "expired", "contributionMonths": 36}}).decode(t, &claim)

	// Every application, with its progress, in one list: 500 + bases + monthly + wage change + transfer + claim.
	all := w.allApplications(t, token, u)
	if len(all) != 505 {
		t.Fatalf("the unit's list: got %d applications; want 505", len(all))
	}
	matters := map[string]int{}
	for _, app := range all {
		matters[app.MatterCode]++
		if app.StatusLabel == "" || app.SubmittedOn == "" || strings.Contains(app.Applicant, w.unitA) {
			t.Fatalf("list row %+v: want a status, a Chinese date and the unit masked", app)
		}
	}
	for code, n := range map[string]int{"unit.staff_add": 500, "unit.base_declaration": 1, "unit.monthly_assessment": 1,
		"unit.wage_change": 1, "unit.staff_transfer_out": 1, "unemployment.claim_registration": 1} {
		if matters[code] != n {
			t.Errorf("%s: got %d in the list; want %d", code, matters[code], n)
		}
	}
	// The counter core takes them in, oldest first; their progress moves on.
	var detail struct {
		CaseNo   string `json:"caseNo"`
		Timeline []struct {
			Label string `json:"label"`
		} `json:"timeline"`
	}
	first := u + "/applications/" + batch.ApplicationIDs[0]
	for deadline := time.Now().Add(10 * time.Second); len(detail.Timeline) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		w.must(t, 200, call{method: "GET", path: first, token: token}).decode(t, &detail)
	}
	if detail.CaseNo == "" || len(detail.Timeline) == 0 {
		t.Errorf("the first staff addition after 10 s: got %+v; want accepted by the counter core, with its timeline", detail)
	}
	var last struct {
		StatusLabel string `json:"statusLabel"`
		CanWithdraw bool   `json:"canWithdraw"`
	}
	w.must(t, 200, call{method: "GET", path: u + "/applications/" + claim.Applications[0].ID, token: token}).decode(t, &last)
	if last.StatusLabel == "" || !last.CanWithdraw {
		t.Errorf("the claim: got %+v; want its status, still open", last)
	}
}

func (w *world) allApplications(t *testing.T, token, u string) []struct {
	ID          string `json:"id"`
	CaseNo      string `json:"caseNo"`
	MatterCode  string `json:"matterCode"`
	StatusLabel string `json:"statusLabel"`
	Applicant   string `json:"applicant"`
	SubmittedOn string `json:"submittedOn"`
	Progress    struct {
		Stage string `json:"stage"`
	} `json:"progress"`
} {
	t.Helper()
	var all appList
	before := ""
	for {
		var page appList
		w.must(t, 200, call{method: "GET", path: u + "/applications?limit=100&before=" + before, token: token}).decode(t, &page)
		all.Applications = append(all.Applications, page.Applications...)
		if page.Next == "" {
			return all.Applications
		}
		before = page.Next
	}
}

// transferTexts returns the transfer texts sent to phone, oldest first.
func transferTexts(t *testing.T, url, phone string) []string {
	t.Helper()
	msgs, err := smssim.FetchMessages(ctx, url, phone)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		if m.TemplateID == sms.TemplateTransferStatus {
			out = append(out, m.Content)
		}
	}
	return out
}
