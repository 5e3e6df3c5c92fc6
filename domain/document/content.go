package document

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// Content is a document exactly as printed: masked, with its serial, issue
// time and issuer. It is what the Renderer draws, what the print record
// keeps and what the digest covers.
//
// The canonical form is Content's encoding/json encoding (fields in the
// order declared here, no maps, times as text), so the same Content always
// gives the same bytes and Digest can be recomputed from a stored record.
type Content struct {
	Serial   string    `json:"serial"`
	Kind     Kind      `json:"kind"`
	Title    string    `json:"title"`
	Subject  []Row     `json:"subject"`  // 姓名 / 公民身份号码 (masked) or 单位名称 / 统一社会信用代码
	Sections []Section `json:"sections"` // every text passed through domain.MaskText
	IssuedAt string    `json:"issuedAt"` // RFC 3339 in Beijing, to the second
	IssuedBy IssuedBy  `json:"issuedBy"`
	PageSize PageSize  `json:"pageSize"`
}

// IssuedBy names who issued a document and where it was printed: the header
// and the footer of every page.
type IssuedBy struct {
	Authority string         `json:"authority"` // 丹东市人力资源和社会保障局
	Office    string         `json:"office"`    // 丹东市社会保险事业服务中心
	Channel   domain.Channel `json:"channel"`
	DeviceID  string         `json:"deviceId"`
}

// Issued returns the issue time as a time in Beijing.
func (c Content) Issued() time.Time {
	t, _ := time.Parse(time.RFC3339, c.IssuedAt)
	return t
}

// SubjectLine is the subject on one line, as the verify page and the
// record's summary show it: "张* 2106**********123X".
func (c Content) SubjectLine() string {
	parts := make([]string, 0, len(c.Subject))
	for _, r := range c.Subject {
		parts = append(parts, r.Value)
	}
	return strings.Join(parts, " ")
}

// Digest is the hex SHA-256 of the canonical form.
func (c Content) Digest() string {
	b, err := json.Marshal(c)
	if err != nil { // only strings, slices and structs: cannot happen
		panic("document: encode content: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// contentOf builds what will be printed for d under serial at t.
func contentOf(d Document, serial string, t time.Time, by IssuedBy) Content {
	title := d.Title
	if strings.TrimSpace(title) == "" {
		title = d.Kind.Label()
	}
	by.Channel, by.DeviceID = d.Issuer.Channel, domain.MaskText(d.Issuer.DeviceID)
	return Content{
		Serial:   serial,
		Kind:     d.Kind,
		Title:    domain.MaskText(title),
		Subject:  subjectRows(d.Subject),
		Sections: maskSections(d.Sections),
		IssuedAt: t.In(domain.Beijing).Truncate(time.Second).Format(time.RFC3339),
		IssuedBy: by,
		PageSize: d.PageSize,
	}
}

// subjectRows prints a person masked — 张*, 2106**********123X — and a
// unit as it is registered.
func subjectRows(s Subject) []Row {
	if s.ID != "" {
		return []Row{{"姓名", domain.MaskName(s.Name)}, {"公民身份号码", s.ID.Masked()}}
	}
	return []Row{{"单位名称", domain.MaskText(strings.TrimSpace(s.Name))}, {"统一社会信用代码", string(s.Unit)}}
}

// maskSections copies sections with every text masked: the last defence
// when a caller puts an ID or phone number in a row.
func maskSections(in []Section) []Section {
	out := make([]Section, len(in))
	for i, s := range in {
		out[i] = Section{Heading: domain.MaskText(s.Heading), Rows: make([]Row, len(s.Rows))}
		for j, r := range s.Rows {
			out[i].Rows[j] = Row{domain.MaskText(r.Label), domain.MaskText(r.Value)}
		}
		if s.Table != nil {
			out[i].Table = maskTable(*s.Table)
		}
	}
	return out
}

func maskTable(t Table) *Table {
	out := &Table{Columns: make([]string, len(t.Columns)), Rows: make([][]string, len(t.Rows)), Widths: t.Widths}
	for i, c := range t.Columns {
		out.Columns[i] = domain.MaskText(c)
	}
	for i, row := range t.Rows {
		out.Rows[i] = make([]string, len(row))
		for j, cell := range row {
			out.Rows[i][j] = domain.MaskText(cell)
		}
	}
	return out
}

// The limits of one document: a batch assessment slip of a large unit runs
// to a few thousand rows; anything bigger is a mistake, not a print job.
const (
	maxSections  = 50
	maxRows      = 500
	maxTableRows = 5000
	maxText      = 500 // characters in one title, label, value or cell
	maxRef       = 64  // bytes of an actor reference, device id or request id, as the audit log keeps them
)

// check says what makes d unprintable. These are mistakes of the calling
// code rather than of the citizen, but the message still says what is wrong.
func check(d Document) error {
	var msg string
	switch {
	case !d.Kind.Known():
		msg = "不支持打印此类文书"
	case !d.PageSize.Known():
		msg = "不支持此纸张规格"
	case (d.Subject.ID == "") == (d.Subject.Unit == ""):
		msg = "文书须写明所涉及的个人或单位"
	case strings.TrimSpace(d.Subject.Name) == "":
		msg = "文书须写明所涉及的个人或单位名称"
	case !knownChannel(d.Issuer.Channel):
		msg = "未知的打印渠道"
	case d.RequestedBy.Kind == "" || d.RequestedBy.Ref == "" || len(d.RequestedBy.Ref) > maxRef || len(d.Issuer.DeviceID) > maxRef:
		msg = "未识别打印人或打印设备"
	case len(d.Sections) > maxSections:
		msg = "文书内容过多，无法打印"
	default:
		msg = checkTexts(d)
	}
	if msg != "" {
		return domain.Errorf(domain.Invalid, "%s", msg)
	}
	return nil
}

func knownChannel(c domain.Channel) bool {
	p, err := domain.ParseChannel(string(c))
	return err == nil && p == c
}

func checkTexts(d Document) string {
	long := func(s string) bool { return utf8.RuneCountInString(s) > maxText }
	if long(d.Title) || long(d.Subject.Name) {
		return "文书标题或名称过长"
	}
	for _, s := range d.Sections {
		if len(s.Rows) > maxRows || (s.Table != nil && len(s.Table.Rows) > maxTableRows) {
			return "文书内容过多，无法打印"
		}
		if long(s.Heading) {
			return "文书内容过长，无法打印"
		}
		for _, r := range s.Rows {
			if long(r.Label) || long(r.Value) {
				return "文书内容过长，无法打印"
			}
		}
		if msg := checkTable(s.Table, long); msg != "" {
			return msg
		}
	}
	return ""
}

func checkTable(t *Table, long func(string) bool) string {
	if t == nil {
		return ""
	}
	if len(t.Columns) == 0 || (len(t.Widths) > 0 && len(t.Widths) != len(t.Columns)) {
		return "文书表格的列定义有误"
	}
	for _, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return "文书表格的列数不一致"
		}
		for _, cell := range row {
			if long(cell) {
				return "文书内容过长，无法打印"
			}
		}
	}
	return ""
}
