package enterprise

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
)

// cellKind is how a column's cells are read.
type cellKind int

const (
	textCell   cellKind = iota
	idCell              // 身份证号码: GB 11643, check digit and all
	phoneCell           // 手机号码
	dateCell            // 2026-01-05, 2026/1/5, 2026年1月5日 or an Excel date
	monthCell           // 2026-01, 2026/1, 2026年1月, 202601 or an Excel date
	yuanCell            // an amount in yuan, filled in as fen
	selectCell          // one of Options, by its Chinese label
)

// column is one column of a batch file: its name in the template, the
// names clerks also use for it, and the form field it fills.
type column struct {
	Name     string
	Aliases  []string
	Key      string
	Kind     cellKind
	Required bool
	Options  map[string]string // label → value, for selects
	Labels   string            // the labels as the error message lists them
	Example  string            // for the template's example row
}

// layout is the file format of one batch kind: the matter each row files
// (none for a base declaration, which files one summary) and its columns.
type layout struct {
	Kind    account.BatchKind
	Matter  string
	Columns []column
}

var (
	nameCol = column{Name: "姓名", Aliases: []string{"职工姓名"}, Key: "name", Kind: textCell, Required: true, Example: "张三"}
	idCol   = column{Name: "身份证号码", Aliases: []string{"职工身份证号码", "身份证号", "公民身份号码", "证件号码"}, Key: "idNumber", Kind: idCell, Required: true, Example: "210602198001010018"}
	wageCol = column{Name: "缴费基数", Aliases: []string{"月缴费基数", "月缴费工资", "缴费工资", "缴费基数(元)"}, Key: "wage", Kind: yuanCell, Required: true, Example: "5000.00"}
	addCols = []column{nameCol, idCol,
		{Name: "手机号码", Aliases: []string{"职工手机号码", "手机号", "联系电话"}, Key: "phone", Kind: phoneCell, Example: "13800000000"},
		{Name: "入职日期", Aliases: []string{"参保日期", "用工日期"}, Key: "hireDate", Kind: dateCell, Required: true, Example: "2026-01-05"},
		wageCol,
		{Name: "户口性质", Aliases: []string{"户籍性质"}, Key: "householdType", Kind: selectCell, Required: true, Example: "城镇户口",
			Options: map[string]string{"城镇户口": "urban", "城镇": "urban", "非农业户口": "urban", "urban": "urban",
				"农村户口": "rural", "农村": "rural", "农业户口": "rural", "rural": "rural"},
			Labels: "城镇户口、农村户口"},
	}
	removeCols = []column{nameCol, idCol,
		{Name: "停保月份", Aliases: []string{"减员月份"}, Key: "stopMonth", Kind: monthCell, Required: true, Example: "2026-01"},
		{Name: "减员原因", Aliases: []string{"停保原因"}, Key: "stopReason", Kind: selectCell, Required: true, Example: "解除或终止劳动关系",
			Options: map[string]string{"解除或终止劳动关系": "separation", "解除劳动关系": "separation", "终止劳动关系": "separation",
				"separation": "separation", "退休": "retirement", "retirement": "retirement", "死亡": "death", "death": "death",
				"调离本单位": "transfer", "调离": "transfer", "transfer": "transfer", "其他": "other", "other": "other"},
			Labels: "解除或终止劳动关系、退休、死亡、调离本单位、其他"},
	}
	baseCols = []column{nameCol, idCol, wageCol}

	layouts = map[account.BatchKind]layout{
		account.StaffAddBatch:    {Kind: account.StaffAddBatch, Matter: "unit.staff_add", Columns: addCols},
		account.StaffRemoveBatch: {Kind: account.StaffRemoveBatch, Matter: "unit.staff_remove", Columns: removeCols},
		account.BaseBatch:        {Kind: account.BaseBatch, Columns: baseCols},
	}
)

// ignoredColumns may be in a file and are not read.
var ignoredColumns = []string{"序号", "备注"}

// normalizeHeader drops spaces, required-marks and full-width brackets, so
// that “ 身份证号码* ” and “缴费基数（元）” match.
func normalizeHeader(s string) string {
	r := strings.NewReplacer(" ", "", "\u3000", "", "*", "", "＊", "", "（", "(", "）", ")", "\t", "")
	return r.Replace(strings.TrimSpace(s))
}

// cellError is one fault of an uploaded file: the row as the spreadsheet
// numbers it (0 for the file as a whole) and the column's Chinese name.
type cellError struct {
	Row     int
	Column  string
	Message string
}

func (e cellError) field() domain.FieldError {
	if e.Row == 0 {
		return domain.FieldError{Field: "file", Message: e.Message}
	}
	return domain.FieldError{Field: fmt.Sprintf("第%d行“%s”", e.Row, e.Column), Message: e.Message}
}

// mapHeader finds each column of l in the header, by name or alias. It
// reports unknown and missing columns, and duplicates.
func (l layout) mapHeader(header []string) (map[string]int, []cellError) {
	idx := map[string]int{}
	var errs []cellError
	for i, h := range header {
		name := normalizeHeader(h)
		if name == "" || containsString(ignoredColumns, name) {
			continue
		}
		col, ok := l.column(name)
		if !ok {
			errs = append(errs, cellError{Row: 1, Column: h, Message: fmt.Sprintf("不支持“%s”列，请使用模板中的列：%s", strings.TrimSpace(h), l.names())})
			continue
		}
		if _, dup := idx[col.Key]; dup {
			errs = append(errs, cellError{Row: 1, Column: col.Name, Message: "“" + col.Name + "”列重复"})
			continue
		}
		idx[col.Key] = i
	}
	for _, c := range l.Columns {
		if _, ok := idx[c.Key]; !ok && c.Required {
			errs = append(errs, cellError{Row: 1, Column: c.Name, Message: "缺少“" + c.Name + "”列"})
		}
	}
	return idx, errs
}

func (l layout) column(name string) (column, bool) {
	for _, c := range l.Columns {
		if normalizeHeader(c.Name) == name || containsString(c.Aliases, name) {
			return c, true
		}
	}
	return column{}, false
}

func (l layout) names() string {
	names := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		names[i] = c.Name
	}
	return strings.Join(names, "、")
}

// columnName returns the Chinese name of the column filling key.
func (l layout) columnName(key string) string {
	for _, c := range l.Columns {
		if c.Key == key {
			return c.Name
		}
	}
	return key
}

// readRow reads one row into a form, reporting each cell at fault.
func (l layout) readRow(r sheetRow, idx map[string]int) (map[string]any, []cellError) {
	form := map[string]any{}
	var errs []cellError
	for _, c := range l.Columns {
		i, ok := idx[c.Key]
		raw := ""
		if ok && i < len(r.Cells) {
			raw = strings.TrimSpace(r.Cells[i])
		}
		if raw == "" {
			if c.Required {
				errs = append(errs, cellError{Row: r.No, Column: c.Name, Message: "请填写" + c.Name})
			}
			continue
		}
		v, msg := c.read(raw)
		if msg != "" {
			errs = append(errs, cellError{Row: r.No, Column: c.Name, Message: msg})
			continue
		}
		form[c.Key] = v
	}
	return form, errs
}

// read turns one non-empty cell into its form value, or says what is wrong.
func (c column) read(raw string) (any, string) {
	switch c.Kind {
	case idCell:
		if strings.ContainsAny(raw, "Ee") && strings.Contains(raw, "+") {
			return nil, "身份证号码被 Excel 转成了数字，请把该列设为“文本”格式后重新填写"
		}
		id, err := domain.ParseIDNumber(raw)
		if err != nil {
			return nil, fieldMessage(err)
		}
		return id.Raw(), ""
	case phoneCell:
		p, err := domain.ParsePhone(raw)
		if err != nil {
			return nil, fieldMessage(err)
		}
		return p.Raw(), ""
	case dateCell:
		if t, ok := parseCellDate(raw); ok {
			return t.Format("2006-01-02"), ""
		}
		return nil, c.Name + "格式不正确，请按“2026-01-05”填写"
	case monthCell:
		if t, ok := parseCellMonth(raw); ok {
			return t.Format("2006-01"), ""
		}
		return nil, c.Name + "格式不正确，请按“2026-01”填写"
	case yuanCell:
		return readYuan(c.Name, raw)
	case selectCell:
		if v, ok := c.Options[normalizeHeader(raw)]; ok {
			return v, ""
		}
		return nil, c.Name + "只能填写：" + c.Labels
	}
	return raw, ""
}

// fieldMessage is the message of a domain error's first field.
func fieldMessage(err error) string {
	var de *domain.Error
	if errors.As(err, &de) && len(de.Fields) > 0 {
		return de.Fields[0].Message
	}
	return "格式不正确"
}

// readYuan reads an amount in yuan ("5000", "5,000.50", "5000元") into
// fen. A spreadsheet's binary float (5000.1000000000004) is taken at the
// fen it stands for.
func readYuan(name, raw string) (any, string) {
	s := strings.NewReplacer("元", "", "¥", "", "￥", "", "，", ",").Replace(raw)
	f, err := domain.ParseYuan(s)
	if err != nil {
		v, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || math.Abs(v*100-math.Round(v*100)) > 1e-6 {
			return nil, name + "应为金额（元），最多两位小数，例如5000.00"
		}
		f = domain.Fen(math.Round(v * 100))
	}
	if f <= 0 {
		return nil, name + "应大于0"
	}
	return int64(f), ""
}

var dateShapes = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)

// parseCellDate reads the ways a date arrives from a sheet.
func parseCellDate(s string) (time.Time, bool) {
	if m := dateShapes.FindStringSubmatch(s); m != nil {
		return civil(m[1], m[2], m[3])
	}
	if len(s) == 8 && allDigits(s) {
		return civil(s[:4], s[4:6], s[6:])
	}
	return excelDate(s)
}

var monthShapes = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})月?$`)

// parseCellMonth reads the ways a month arrives from a sheet.
func parseCellMonth(s string) (time.Time, bool) {
	if m := monthShapes.FindStringSubmatch(s); m != nil {
		return civil(m[1], m[2], "1")
	}
	if len(s) == 6 && allDigits(s) {
		return civil(s[:4], s[4:], "1")
	}
	if t, ok := parseCellDate(s); ok {
		return t, true
	}
	return time.Time{}, false
}

// civil checks that y-m-d is a real day between 1950 and 2100.
func civil(y, m, d string) (time.Time, bool) {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, domain.Beijing)
	ok := yi >= 1950 && yi <= 2100 && t.Year() == yi && int(t.Month()) == mi && t.Day() == di
	return t, ok
}

// excelDate reads an Excel date serial (days since 1899-12-30), as a date
// cell arrives when the sheet is read raw.
func excelDate(s string) (time.Time, bool) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 18264 || v > 73415 { // 1950-01-01 … 2100-12-31
		return time.Time{}, false
	}
	t := time.Date(1899, 12, 30, 0, 0, 0, 0, domain.Beijing).AddDate(0, 0, int(v))
	return t, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if normalizeHeader(x) == s {
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
