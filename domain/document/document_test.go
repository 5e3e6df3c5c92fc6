package document_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
)

const (
	rawID   = "21060219900101104X"
	rawName = "王小明"
)

var issuedAt = time.Date(2026, 11, 29, 1, 30, 5, 0, time.UTC) // 09:30:05 in Beijing

func statement() document.Document {
	return document.Document{
		Kind:     document.PersonalStatement,
		Subject:  document.Subject{Name: rawName, ID: rawID},
		PageSize: document.A4,
		Issuer:   document.Issuer{Channel: domain.Kiosk, DeviceID: "KIOSK-0012"},
		Sections: []document.Section{{
			Heading: "养老保险",
			Rows:    []document.Row{{Label: "累计缴费月数", Value: "216"}, {Label: "联系电话", Value: "13812345678"}},
			Table:   &document.Table{Columns: []string{"年度", "缴费基数"}, Rows: [][]string{{"2025", "4,862.00"}}},
		}},
		RequestedBy: document.Actor{Kind: audit.Person, Ref: "ref-of-person"},
		RequestID:   "req-1",
	}
}

type fixture struct {
	svc      *document.Service
	store    *memStore
	renderer *fakeRenderer
	audit    *auditLog
}

func newFixture(t *testing.T, random *bytes.Reader) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore(), renderer: &fakeRenderer{}, audit: &auditLog{}}
	cfg := document.Config{Store: f.store, Renderer: f.renderer, Sealer: hashSealer{}, Audit: f.audit,
		VerifyBaseURL: "https://rs.dandong.example/", Now: func() time.Time { return issuedAt }}
	if random != nil {
		cfg.Random = random
	}
	svc, err := document.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	return f
}

func TestIssueRecordsMaskedContentAndVerifyFindsIt(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	p, err := f.svc.Issue(ctx, statement())
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://rs.dandong.example/verify/" + p.Serial; p.VerifyURL != want {
		t.Errorf("verify URL: got %q; want %q", p.VerifyURL, want)
	}
	if !strings.HasPrefix(p.Serial, "DDRS20261129") {
		t.Errorf("serial %q: want DDRS and the Beijing date 20261129", p.Serial)
	}
	sheet := f.renderer.sheets[0]
	if sheet.VerifyURL != p.VerifyURL || sheet.Digest != p.Digest || sheet.Title != "个人对账单" {
		t.Errorf("sheet: got url %q digest %q title %q; want the printed ones and the kind's title", sheet.VerifyURL, sheet.Digest, sheet.Title)
	}
	if got := sheet.SubjectLine(); got != "王** 2106**********104X" {
		t.Errorf("printed subject: got %q; want 王** 2106**********104X", got)
	}
	if got := sheet.Sections[0].Rows[1].Value; got != "138****5678" {
		t.Errorf("a phone in a row: got %q; want it masked", got)
	}
	if got := sheet.IssuedAt; got != "2026-11-29T09:30:05+08:00" {
		t.Errorf("issued at: got %q; want Beijing time", got)
	}

	r, err := f.svc.Verify(ctx, strings.ToLower(p.Serial))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if r.Kind != document.PersonalStatement || r.Digest != p.Digest || !r.Intact() || r.DeviceID != "KIOSK-0012" || r.Channel != domain.Kiosk {
		t.Errorf("record: got %+v; want the printed statement, intact", r)
	}
	if r.SubjectRef == "" || r.SubjectRef != (hashSealer{}).BlindIndex("id_number", rawID) {
		t.Errorf("subject ref: got %q; want the ID number's blind index", r.SubjectRef)
	}
	all, _ := json.Marshal(r)
	for _, raw := range []string{rawID, rawName, "13812345678"} {
		if bytes.Contains(all, []byte(raw)) {
			t.Errorf("the record holds %q raw: %s", raw, all)
		}
	}
}

func TestAlteredRecordIsNotIntact(t *testing.T) {
	f := newFixture(t, nil)
	p, err := f.svc.Issue(context.Background(), statement())
	if err != nil {
		t.Fatal(err)
	}
	r := f.store.records[p.Serial]
	r.Content.Sections[0].Rows[0].Value = "360"
	if r.Intact() {
		t.Error("a record whose content changed after printing: got intact; want not")
	}
}

func TestVerifyUnknownOrMalformedIsNotFound(t *testing.T) {
	f := newFixture(t, nil)
	for _, serial := range []string{"DDRS20261129ABCDEFGH", "DDRS2026113000000000", "hello", "", "DDRS20261129ABCDEFGHX"} {
		_, err := f.svc.Verify(context.Background(), serial)
		if !domain.IsCode(err, domain.NotFound) {
			t.Errorf("Verify(%q): got %v; want NotFound", serial, err)
		}
	}
}

func TestSerialsAreUniqueAndUnguessable(t *testing.T) {
	f := newFixture(t, nil)
	const n = 1000
	seen := map[string]bool{}
	symbols := make([]map[byte]bool, 8)
	for i := range symbols {
		symbols[i] = map[byte]bool{}
	}
	for range n {
		p, err := f.svc.Issue(context.Background(), statement())
		if err != nil {
			t.Fatal(err)
		}
		if seen[p.Serial] {
			t.Fatalf("serial %s issued twice", p.Serial)
		}
		seen[p.Serial] = true
		if s, ok := document.ParseSerial(p.Serial); !ok || s != p.Serial || len(s) != 20 {
			t.Fatalf("serial %q does not read back as itself", p.Serial)
		}
		for i := range 8 {
			symbols[i][p.Serial[12+i]] = true
		}
	}
	// A counter varies only in its last places; random draws use nearly
	// all 32 symbols in every place over 1000 serials.
	for i, s := range symbols {
		if len(s) < 28 {
			t.Errorf("place %d of the random part: got %d distinct symbols in %d serials; want nearly all 32", i, len(s), n)
		}
	}
}

func TestSerialCollisionDrawsAgain(t *testing.T) {
	same := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8}, 2)
	f := newFixture(t, bytes.NewReader(append(same, 9, 9, 9, 9, 9, 9, 9, 9)))
	first, err := f.svc.Issue(context.Background(), statement())
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.svc.Issue(context.Background(), statement())
	if err != nil {
		t.Fatalf("second print after a collision: %v", err)
	}
	if first.Serial == second.Serial || f.store.saves != 3 {
		t.Errorf("got %s then %s after %d saves; want two serials after a retried save", first.Serial, second.Serial, f.store.saves)
	}
}

func TestParseSerialForgivesLookAlikes(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"DDRS20261129K7QX3M9A", "DDRS20261129K7QX3M9A", true},
		{" ddrs-20261129-k7qx-3m9a ", "DDRS20261129K7QX3M9A", true},
		{"DDRS20261129OIL00000", "DDRS2026112901100000", true},
		{"DDRS20261129K7QX3M9U", "", false}, // U is not in the alphabet
		{"DDRS20261332K7QX3M9A", "", false}, // no such date
		{"XXRS20261129K7QX3M9A", "", false},
	}
	for _, tt := range tests {
		got, ok := document.ParseSerial(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseSerial(%q): got %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIssueRefusesIncompleteDocuments(t *testing.T) {
	tests := map[string]func(*document.Document){
		"unknown kind":     func(d *document.Document) { d.Kind = "poem" },
		"no page size":     func(d *document.Document) { d.PageSize = "" },
		"no subject":       func(d *document.Document) { d.Subject = document.Subject{Name: "张三"} },
		"no requester":     func(d *document.Document) { d.RequestedBy = document.Actor{} },
		"unknown channel":  func(d *document.Document) { d.Issuer.Channel = "fax" },
		"ragged table":     func(d *document.Document) { d.Sections[0].Table.Rows = [][]string{{"2025"}} },
		"value too long":   func(d *document.Document) { d.Sections[0].Rows[0].Value = strings.Repeat("长", 501) },
		"bad table widths": func(d *document.Document) { d.Sections[0].Table.Widths = []float64{1} },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, nil)
			d := statement()
			mutate(&d)
			_, err := f.svc.Issue(context.Background(), d)
			if !domain.IsCode(err, domain.Invalid) || len(f.store.records) != 0 {
				t.Errorf("got %v with %d records; want Invalid and nothing recorded", err, len(f.store.records))
			}
		})
	}
}

func TestFailedRenderRecordsNothingButIsAudited(t *testing.T) {
	f := newFixture(t, nil)
	f.renderer.err = domain.Errorf(domain.Internal, "文书生成失败")
	if _, err := f.svc.Issue(context.Background(), statement()); !errors.Is(err, f.renderer.err) {
		t.Fatalf("got %v; want the renderer's error", err)
	}
	if len(f.store.records) != 0 {
		t.Errorf("got %d records; want none for a document never printed", len(f.store.records))
	}
	if len(f.audit.entries) != 1 || f.audit.entries[0].Outcome != "internal" {
		t.Errorf("audit: got %+v; want one entry with outcome internal", f.audit.entries)
	}
}

func TestPrintIsAuditedWithoutRawData(t *testing.T) {
	f := newFixture(t, nil)
	p, err := f.svc.Issue(context.Background(), statement())
	if err != nil {
		t.Fatal(err)
	}
	if len(f.audit.entries) != 1 {
		t.Fatalf("got %d audit entries; want 1", len(f.audit.entries))
	}
	e := f.audit.entries[0]
	if e.Action != "document.print" || e.Outcome != audit.OK || e.Detail["serial"] != p.Serial ||
		e.SubjectRef == "" || e.ActorRef != "ref-of-person" || e.Channel != domain.Kiosk {
		t.Errorf("audit entry: got %+v", e)
	}
	if b, _ := json.Marshal(e); bytes.Contains(b, []byte(rawID)) {
		t.Errorf("audit entry holds the raw ID: %s", b)
	}
}

func TestUnitSubjectPrintsItsCreditCode(t *testing.T) {
	f := newFixture(t, nil)
	d := statement()
	d.Kind, d.Subject = document.AssessmentSlip, document.Subject{Name: "丹东市振兴区示例商贸有限公司", Unit: "91210600MA0XXXXX1A"}
	d.RequestedBy = document.Actor{Kind: audit.UnitOperator, Ref: "op-7"}
	if _, err := f.svc.Issue(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	want := "丹东市振兴区示例商贸有限公司 91210600MA0XXXXX1A"
	if got := f.renderer.sheets[0].SubjectLine(); got != want {
		t.Errorf("unit subject: got %q; want %q", got, want)
	}
}
