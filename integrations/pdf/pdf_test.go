package pdf_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/pdf"
)

const rawID = "21060219900101104X"

// longValue wraps over several lines on either paper.
const longValue = "本人于2008年7月在丹东市振兴区参加城镇职工基本养老保险，2015年3月转入元宝区，其间无中断缴费记录，视同缴费年限按国家规定认定。"

func statement(size document.PageSize, tableRows int) document.Document {
	rows := make([][]string, tableRows)
	for i := range rows {
		rows[i] = []string{strconv.Itoa(2026 - i), "4,862.00", "12", "丹东市振兴区示例商贸有限公司"}
	}
	return document.Document{
		Kind:     document.PersonalStatement,
		Title:    "2026年度个人权益记录（个人对账单）",
		Subject:  document.Subject{Name: "王小明", ID: rawID},
		PageSize: size,
		Issuer:   document.Issuer{Channel: domain.Kiosk, DeviceID: "KIOSK-0012"},
		Sections: []document.Section{
			{Heading: "基本养老保险", Rows: []document.Row{{Label: "累计缴费月数", Value: "216个月"}, {Label: "个人账户累计储存额", Value: "38,415.27元"}, {Label: "说明", Value: longValue}}},
			{Heading: "缴费明细", Table: &document.Table{Columns: []string{"年度", "缴费基数（元）", "月数", "参保单位"}, Rows: rows, Widths: []float64{1, 1.4, 0.8, 2.4}}},
		},
		RequestedBy: document.Actor{Kind: audit.Person, Ref: "person-ref"},
	}
}

// issue prints d through the real document service, so the sheet is what
// production draws.
func issue(t *testing.T, d document.Document) document.Printed {
	t.Helper()
	svc, err := document.New(document.Config{Store: &memStore{}, Renderer: pdf.New(), Sealer: indexSealer{},
		VerifyBaseURL: "https://rs.dandong.example", Now: func() time.Time { return time.Date(2026, 11, 29, 1, 30, 5, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	p, err := svc.Issue(context.Background(), d)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return p
}

// printedStatements holds the three-row statements on each paper, printed
// once for the tests that read them: a render takes half a second under the
// race detector.
var printedStatements = struct {
	sync.Mutex
	m map[document.PageSize]document.Printed
}{m: map[document.PageSize]document.Printed{}}

func printedStatement(t *testing.T, size document.PageSize) document.Printed {
	t.Helper()
	printedStatements.Lock()
	defer printedStatements.Unlock()
	p, ok := printedStatements.m[size]
	if !ok {
		p = issue(t, statement(size, 3))
		printedStatements.m[size] = p
	}
	return p
}

func TestPrintedTextExtracts(t *testing.T) {
	for _, size := range []document.PageSize{document.A4, document.Receipt80mm} {
		t.Run(string(size), func(t *testing.T) {
			p := printedStatement(t, size)
			text := squash(extract(t, p.PDF))
			for _, want := range []string{
				"丹东市人力资源和社会保障局", "丹东市社会保险事业服务中心", "2026年度个人权益记录（个人对账单）",
				"王**", "2106**********104X", p.Serial, "扫码核验", "基本养老保险", "累计缴费月数：216个月",
				"缴费基数（元）", "示例商贸", squash(longValue), "2026年11月29日09:30:05（北京时间）",
				"自助一体机（设备编号KIOSK-0012）", "SHA-256" + p.Digest[:16], "https://rs.dandong.example/verify/" + p.Serial,
			} {
				if !strings.Contains(text, want) {
					t.Errorf("extracted text lacks %q:\n%s", want, text)
				}
			}
			for _, raw := range [][]byte{[]byte(rawID), []byte("王小明")} {
				if bytes.Contains(p.PDF, raw) || strings.Contains(text, string(raw)) {
					t.Errorf("the PDF holds %q raw", raw)
				}
			}
		})
	}
}

func TestPaperSizes(t *testing.T) {
	a4 := printedStatement(t, document.A4)
	if w, h, pages := info(t, a4.PDF); w != 595.28 || h != 841.89 || pages != 1 {
		t.Errorf("A4: got %v x %v pt, %d pages; want 595.28 x 841.89, 1 page", w, h, pages)
	}
	short := printedStatement(t, document.Receipt80mm)
	long := issue(t, statement(document.Receipt80mm, 30))
	w, hShort, pages := info(t, short.PDF)
	if w != 226.77 || pages != 1 {
		t.Errorf("receipt: got width %v pt on %d pages; want 226.77 (80 mm) on one page", w, pages)
	}
	_, hLong, _ := info(t, long.PDF)
	if hShort < 300 || hLong <= hShort+27*10 {
		t.Errorf("receipt heights: got %v pt for 3 rows, %v pt for 30; want each fitted to its content", hShort, hLong)
	}
	t.Logf("sizes: A4 %d bytes, receipt %d bytes (%.0f mm long)", len(a4.PDF), len(short.PDF), hShort/72*25.4)
	for name, b := range map[string][]byte{"A4": a4.PDF, "receipt": short.PDF} {
		if len(b) > 150_000 {
			t.Errorf("%s: got %d bytes; want the font subset, well under 150 kB", name, len(b))
		}
	}
}

func TestLongStatementBreaksPagesAndRepeatsTheTableHeader(t *testing.T) {
	p := issue(t, statement(document.A4, 120))
	_, _, pages := info(t, p.PDF)
	if pages < 3 {
		t.Fatalf("120 table rows on A4: got %d pages; want at least 3", pages)
	}
	t.Logf("120 table rows: %d pages, %d bytes", pages, len(p.PDF))
	withRows := 0
	for page := 1; page <= pages; page++ {
		text := squash(extractPages(t, p.PDF, page))
		if want := fmt.Sprintf("文书编号：%s", p.Serial); !strings.Contains(text, want) {
			t.Errorf("page %d: footer lacks %q", page, want)
		}
		if want := fmt.Sprintf("第%d页共%d页", page, pages); !strings.Contains(text, want) {
			t.Errorf("page %d: footer lacks %q", page, want)
		}
		if strings.Contains(text, "示例商贸有限公司") {
			withRows++
			if !strings.Contains(text, "缴费基数（元）") {
				t.Errorf("page %d has table rows but no header row", page)
			}
		}
	}
	if withRows < 3 {
		t.Errorf("got table rows on %d pages; want the 120 rows over at least 3", withRows)
	}
	if text := squash(extract(t, p.PDF)); !strings.Contains(text, "19074,862.00") {
		t.Error("the last table row (1907) is missing")
	}
}

func TestSameSheetSameBytes(t *testing.T) {
	r := pdf.New()
	sheet := document.Sheet{Content: document.Content{Serial: "DDRS20261129K7QX3M9A", Kind: document.PaymentReceipt,
		Title: "缴费凭证", Subject: []document.Row{{Label: "姓名", Value: "李*"}}, IssuedAt: "2026-11-29T09:30:05+08:00",
		IssuedBy: document.IssuedBy{Authority: document.DefaultAuthority, Office: document.DefaultOffice, Channel: domain.App},
		PageSize: document.Receipt80mm}, Digest: strings.Repeat("ab", 32), VerifyURL: "https://x.example/verify/DDRS20261129K7QX3M9A"}
	var wg sync.WaitGroup
	out := make([][]byte, 2)
	for i := range out {
		wg.Go(func() {
			b, err := r.Render(context.Background(), sheet)
			if err != nil {
				t.Error(err)
			}
			out[i] = b
		})
	}
	wg.Wait()
	for i := 1; i < len(out); i++ {
		if !bytes.Equal(out[0], out[i]) {
			t.Fatalf("render %d differs from render 0: the same sheet must give the same PDF", i)
		}
	}
	if text := squash(extract(t, out[0])); !strings.Contains(text, "缴费凭证") || !strings.Contains(text, "人社APP") {
		t.Errorf("receipt text: got %q", text)
	}
}

func TestCharactersBeyondTheFontPrintAsGeta(t *testing.T) {
	d := statement(document.Receipt80mm, 1)
	d.Sections[0].Rows[0].Value = "𠀀号\t楼"
	text := squash(extract(t, issue(t, d).PDF))
	if !strings.Contains(text, "〓号楼") {
		t.Errorf("got %q; want the supplementary character as 〓", text)
	}
}

// extract runs poppler's pdftotext, a real PDF reader: if it cannot read the
// file or its Chinese, neither can a citizen's phone.
func extract(t *testing.T, b []byte) string {
	t.Helper()
	return extractPages(t, b, 0)
}

// extractPages reads page n only, or every page for 0. The layout mode
// keeps a label and its value on one line, as the reader sees them.
func extractPages(t *testing.T, b []byte, n int) string {
	t.Helper()
	args := []string{"-layout", "-enc", "UTF-8"}
	if n > 0 {
		args = append(args, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n))
	}
	out, err := exec.Command(tool(t, "pdftotext"), append(args, write(t, b), "-")...).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext cannot read the PDF: %v\n%s", err, out)
	}
	return string(out)
}

var pageSize = regexp.MustCompile(`Page size:\s+([\d.]+) x ([\d.]+) pts`)
var pageCount = regexp.MustCompile(`Pages:\s+(\d+)`)

// info returns the first page's size in points and the page count.
func info(t *testing.T, b []byte) (w, h float64, pages int) {
	t.Helper()
	out, err := exec.Command(tool(t, "pdfinfo"), write(t, b)).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v\n%s", err, out)
	}
	m, n := pageSize.FindStringSubmatch(string(out)), pageCount.FindStringSubmatch(string(out))
	if m == nil || n == nil {
		t.Fatalf("pdfinfo output not understood:\n%s", out)
	}
	w, _ = strconv.ParseFloat(m[1], 64)
	h, _ = strconv.ParseFloat(m[2], 64)
	pages, _ = strconv.Atoi(n[1])
	return w, h, pages
}

// tool finds a poppler-utils program; the test fails, never skips, without it.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed; it is how this test reads the PDFs back: apt-get install -y poppler-utils", name)
	}
	return path
}

func write(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// squash drops white space, which the extractor puts where lines wrap.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

type memStore struct {
	mu sync.Mutex
	m  map[string]document.Record
}

func (s *memStore) Save(_ context.Context, r document.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]document.Record{}
	}
	s.m[r.Serial] = r
	return nil
}

func (s *memStore) Record(_ context.Context, serial string) (document.Record, error) {
	return document.Record{}, domain.Errorf(domain.NotFound, "未找到")
}

type indexSealer struct{}

func (indexSealer) Seal(p string) (string, error) { return p, nil }
func (indexSealer) Open(s string) (string, error) { return s, nil }
func (indexSealer) BlindIndex(k privacy.Kind, v string) string {
	return string(k) + "#" + fmt.Sprint(len(v))
}

func BenchmarkRender(b *testing.B) {
	for _, size := range []document.PageSize{document.A4, document.Receipt80mm} {
		b.Run(string(size), func(b *testing.B) {
			r := pdf.New()
			sheet := document.Sheet{Content: document.Content{Serial: "DDRS20261129K7QX3M9A", Kind: document.PersonalStatement,
				Title: "个人对账单", Subject: []document.Row{{Label: "姓名", Value: "王**"}}, IssuedAt: "2026-11-29T09:30:05+08:00",
				Sections: statement(size, 12).Sections, PageSize: size}, Digest: strings.Repeat("ab", 32), VerifyURL: "https://x.example/verify/DDRS20261129K7QX3M9A"}
			for b.Loop() {
				if _, err := r.Render(context.Background(), sheet); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestRenderGivesUpWhenTheCallerHasGone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := pdf.NewWithLimit(1).Render(ctx, document.Sheet{Content: document.Content{PageSize: document.A4}})
	if !domain.IsCode(err, domain.Timeout) {
		t.Errorf("got %v; want Timeout", err)
	}
}
