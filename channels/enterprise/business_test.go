package enterprise_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func fieldsOf(t *testing.T, a answer) []string {
	t.Helper()
	var p problem
	a.decode(t, &p)
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field+" "+e.Message)
	}
	return out
}

// Every fault of a batch file is named by its row and Chinese column, and a
// file with any fault files nothing.
func TestBatchFaultsAreNamedAndNothingIsFiled(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	token := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	on := w.employed(t, w.unitA)
	add, remove := unit(w.unitA)+"/batches/staff-additions", unit(w.unitA)+"/batches/staff-removals"
	header := []string{"姓名", "身份证号码", "手机号码", "入职日期", "缴费基数", "户口性质"}
	row := func(i int) []string {
		return []string{fmt.Sprintf("新职工%d", i), newID(i), "", "2026-03-01", "4800", "城镇"}
	}
	big := [][]string{header}
	for i := range 2001 {
		big = append(big, row(i))
	}
	cases := []struct {
		name   string
		path   string
		file   []byte
		status int
		want   []string // "field message" prefixes, in order
	}{
		{"unknown and missing columns", add, csvOf([][]string{{"姓名", "参保险种", "手机号码", "入职日期", "缴费基数", "户口性质"}, row(1)}), 400,
			[]string{"第1行“参保险种” 不支持“参保险种”列", "第1行“身份证号码” 缺少“身份证号码”列"}},
		{"a duplicate, after a blank row", add, csvOf([][]string{header, row(1), {"", "", "", "", "", ""}, row(1)}), 400,
			[]string{"第4行“身份证号码” 与第2行的身份证号码重复"}},
		{"someone on the roll already", add, csvOf([][]string{header, {on[0].Name, on[0].ID.Raw(), "", "2026-03-01", "4800", "城镇"}}), 400,
			[]string{"第2行“身份证号码” 该职工已在本单位参保"}},
		{"an ID number Excel turned into a number, a missing wage", add, csvOf([][]string{header, {"新职工", "2.10602E+17", "", "2026-03-01", "", "城镇"}}), 400,
			[]string{"第2行“身份证号码” 身份证号码被 Excel 转成了数字", "第2行“缴费基数” 请填写缴费基数"}},
		{"a bad phone and a wage with three decimals", add, csvOf([][]string{header, {"新职工", newID(2), "12345", "2026-03-01", "4800.123", "城镇"}}), 400,
			[]string{"第2行“手机号码” 手机号码格式不正确", "第2行“缴费基数” 缴费基数应为金额"}},
		{"removing a newcomer, a wrong name and a bad reason", remove, csvOf([][]string{{"姓名", "身份证号码", "停保月份", "减员原因"},
			{"新职工", newID(3), "2026-03", "退休"}, {"别人", on[0].ID.Raw(), "2026/3", "跳槽"}}), 400,
			[]string{"第2行“身份证号码” 该职工不在本单位参保名册中", "第3行“减员原因” 减员原因只能填写", "第3行“姓名” 姓名与本单位参保名册中的不一致"}},
		{"an Excel 97 file", add, []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest of an old workbook"), 400,
			[]string{"file 不支持 Excel 97-2003"}},
		{"too many rows", add, csvOf(big), 413, nil},
	}
	for i, c := range cases {
		a := w.do(t, call{method: "POST", path: c.path, token: token, key: fmt.Sprintf("bad-%d", i), file: c.file})
		if a.status != c.status {
			t.Errorf("%s: got %d %s; want %d", c.name, a.status, a.body, c.status)
			continue
		}
		got := fieldsOf(t, a)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %q; want %d faults like %q", c.name, got, len(c.want), c.want)
			continue
		}
		for k := range c.want {
			if !strings.HasPrefix(got[k], c.want[k]) {
				t.Errorf("%s: fault %d: got %q; want it to start %q", c.name, k, got[k], c.want[k])
			}
		}
	}
	if n, b := w.count(t, "application"), w.count(t, "ent_batch"); n != 0 || b != 0 {
		t.Errorf("after refused files: %d applications, %d batches; want none", n, b)
	}
}

// A clean removal file files one application per row; a file saved by a
// Chinese Excel (GB18030) reads the same; a key reused with another file
// is refused.
func TestBatchRemovalFilesEachRow(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	token := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	on := w.employed(t, w.unitA)
	rows := [][]string{{"序号", "姓名", "身份证号码", "停保月份", "减员原因", "备注"},
		{"1", on[0].Name, on[0].ID.Raw(), "2026年3月", "解除或终止劳动关系", ""}, {"2", on[1].Name, on[1].ID.Raw(), "202603", "退休", "到龄"}}
	var plain bytes.Buffer
	for _, r := range rows {
		plain.WriteString(strings.Join(r, ",") + "\r\n")
	}
	gbk, err := simplifiedchinese.GB18030.NewEncoder().Bytes(plain.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	u := unit(w.unitA)
	var b struct {
		ApplicationIDs []string `json:"applicationIds"`
	}
	w.must(t, 201, call{method: "POST", path: u + "/batches/staff-removals", token: token, key: "rm-1", file: gbk}).decode(t, &b)
	if len(b.ApplicationIDs) != 2 || w.count(t, "application") != 2 {
		t.Fatalf("removal batch: got %v; want two applications", b.ApplicationIDs)
	}
	w.must(t, 409, call{method: "POST", path: u + "/batches/staff-removals", token: token, key: "rm-1", file: csvOf(rows[:2])})
	var list struct {
		Batches []struct {
			KindLabel string `json:"kindLabel"`
			Rows      int    `json:"rows"`
		} `json:"batches"`
	}
	w.must(t, 200, call{method: "GET", path: u + "/batches", token: token}).decode(t, &list)
	if len(list.Batches) != 1 || list.Batches[0].KindLabel != "批量减员" || list.Batches[0].Rows != 2 {
		t.Errorf("batches: got %+v; want one removal of two rows", list.Batches)
	}
	tpl := w.must(t, 200, call{method: "GET", path: "/ent/v1/batch-templates/staff_remove"})
	if !bytes.HasPrefix(tpl.body, []byte("\xEF\xBB\xBF姓名,身份证号码,停保月份,减员原因")) {
		t.Errorf("template: got %q", tpl.body)
	}
}

// A registration for a leaver can be changed and deleted until decided.
func TestUnemploymentClaimChangedAndDeleted(t *testing.T) {
	t.Parallel()
	w := newWorldPaced(t, storetest.SQLite(t), time.Minute) // staff take their time: the claim stays undecided
	token := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	leaver := w.employed(t, w.unitA)[3]
	u := unit(w.unitA) + "/unemployment-claims"
	var filed filedApps
	w.must(t, 201, call{method: "POST", path: u, token: token, key: "c-1", body: map[string]any{
		"name": leaver.Name, "idNumber": leaver.ID.Raw(), "phone": "13722220003", "separationDate": "2026-02-28",
		"separationReason": "mutual", "contributionMonths": 24}}).decode(t, &filed)
	id := filed.Applications[0].ID
	change := map[string]any{"name": leaver.Name, "idNumber": leaver.ID.Raw(), "separationReason": "expired", "reason": "原因填错"}
	w.must(t, 201, call{method: "PUT", path: u + "/" + id, token: token, key: "c-2", body: change})
	var gone struct {
		StatusLabel string `json:"statusLabel"`
		Final       bool   `json:"final"`
	}
	del := call{method: "DELETE", path: u + "/" + id + "?reason=职工已再就业", token: token}
	a := w.do(t, del)
	for range 50 { // handed to the core this very moment: the answer asks to try again in a moment
		if a.status != 409 || !strings.Contains(string(a.body), "请稍后再撤回") {
			break
		}
		time.Sleep(20 * time.Millisecond)
		a = w.do(t, del)
	}
	if a.status != 200 {
		t.Fatalf("delete: got %d %s; want 200", a.status, a.body)
	}
	a.decode(t, &gone)
	if gone.StatusLabel != "已撤回" || !gone.Final {
		t.Errorf("after delete: got %+v; want 已撤回", gone)
	}
	w.must(t, 409, call{method: "PUT", path: u + "/" + id, token: token, key: "c-3", body: change})
	var list filedApps
	w.must(t, 200, call{method: "GET", path: u, token: token}).decode(t, &list)
	if len(list.Applications) != 2 {
		t.Errorf("claims: got %d; want the registration and its change", len(list.Applications))
	}
}

// A unit applies for a staff member's employment certificate; the person
// is the applicant, the unit acts for them, and the unit follows it.
func TestCertificateForAStaffMember(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	token := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	staff := w.employed(t, w.unitA)[0]
	u := unit(w.unitA)
	var materials []map[string]string
	for name, file := range map[string][]byte{"居民身份证": []byte("%PDF-1.4\n% id card\n%%EOF\n"), "近期免冠白底彩色证件照": []byte("\x89PNG\r\n\x1a\nphoto")} {
		var up struct {
			Hash string `json:"hash"`
		}
		w.must(t, 201, call{method: "POST", path: u + "/materials", token: token, file: file}).decode(t, &up)
		materials = append(materials, map[string]string{"name": name, "hash": up.Hash})
	}
	body := map[string]any{"name": staff.Name, "idNumber": staff.ID.Raw(), "phone": "13722220004",
		"employmentStatus": "employed", "educationLevel": "bachelor"}
	a := w.must(t, 400, call{method: "POST", path: u + "/employment-certificates", token: token, key: "cert-0", body: body})
	if got := fieldsOf(t, a); !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "materials 缺少材料") }) {
		t.Errorf("without materials: got %q; want the missing materials named", got)
	}
	body["materials"] = materials
	var filed filedApps
	w.must(t, 201, call{method: "POST", path: u + "/employment-certificates", token: token, key: "cert-1", body: body}).decode(t, &filed)
	app := filed.Applications[0]
	if !strings.Contains(app.Applicant, staff.ID.Masked()) || !strings.Contains(app.ActingFor, w.unitA[:4]+"**********") {
		t.Errorf("certificate application: applicant %q acting %q; want the person, and the unit acting", app.Applicant, app.ActingFor)
	}
	var list filedApps
	w.must(t, 200, call{method: "GET", path: u + "/employment-certificates", token: token}).decode(t, &list)
	if len(list.Applications) != 1 || list.Applications[0].ID != app.ID {
		t.Errorf("certificates: got %+v; want the one filed", list.Applications)
	}
	var notice struct {
		Title    string `json:"title"`
		Sections []struct {
			Rows []struct{ Label, Value string } `json:"rows"`
		} `json:"sections"`
	}
	n := w.must(t, 200, call{method: "GET", path: u + "/staff/" + staff.ID.Raw() + "/employment-notice", token: token})
	n.decode(t, &notice)
	if notice.Title != "就业告知书" || strings.Contains(string(n.body), staff.ID.Raw()) || !strings.Contains(string(n.body), staff.ID.Masked()) {
		t.Errorf("notice: got %s; want 就业告知书 with the ID number masked", n.body)
	}
}

// The monthly declaration checks its wage changes against the roll, and
// each unit type keeps to its own declaration.
func TestMonthlyDeclarationChecks(t *testing.T) {
	t.Parallel()
	w := newWorld(t, storetest.SQLite(t))
	token := w.signIn(t, w.unitA, w.phoneA, "browser-aaaa-0001")
	on := w.employed(t, w.unitA)
	u := unit(w.unitA)
	a := w.must(t, 400, call{method: "POST", path: u + "/monthly-declarations", token: token, key: "m-1", body: map[string]any{
		"assessMonth": "2026-03", "staffCount": 10, "totalWage": 5000000,
		"wageChanges": []map[string]any{{"name": "新职工", "idNumber": newID(5), "wage": 500000}, {"name": "错名", "idNumber": on[0].ID.Raw(), "wage": 500000}}}})
	want := []string{"wageChanges[0].idNumber 该职工不在本单位参保名册中", "wageChanges[1].name 姓名与本单位参保名册中的不一致"}
	if got := fieldsOf(t, a); !slices.Equal(got, want) {
		t.Errorf("wage changes: got %q; want %q", got, want)
	}
	w.must(t, 422, call{method: "POST", path: u + "/institution-declarations", token: token, key: "i-1", body: map[string]any{
		"assessMonth": "2026-03", "staffCount": 10, "totalWage": 5000000}})
	if n := w.count(t, "application"); n != 0 {
		t.Errorf("after refused declarations: %d applications; want none", n)
	}
	var pv struct {
		OnRoll     int `json:"onRoll"`
		StaffCount int `json:"staffCount"`
	}
	w.must(t, 200, call{method: "GET", path: u + "/monthly-declarations/2026-03/preview", token: token}).decode(t, &pv)
	if pv.OnRoll != len(on) || pv.StaffCount != len(on) {
		t.Errorf("preview: got %+v; want %d on the roll", pv, len(on))
	}
}
