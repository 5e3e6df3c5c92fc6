package enterprise

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/dandong-hrss/hrss/domain"
)

// The bounds of one batch file: a large employer's monthly intake fits,
// and checking it stays well inside a request's deadline.
const (
	MaxBatchRows  = 2000
	MaxBatchBytes = 2 << 20
)

// sheetRow is one data row with its number as the spreadsheet shows it:
// the header is row 1, so the first data row is row 2.
type sheetRow struct {
	No    int
	Cells []string
}

// sheet is an uploaded file read as text: the header and the non-blank rows.
type sheet struct {
	Header []string
	Rows   []sheetRow
}

// readSheet reads a CSV (UTF-8, with or without a BOM; GB18030 as Excel
// writes it on Chinese Windows is forgiven) or an XLSX workbook's first
// sheet. Errors: Invalid for an unreadable or empty file, or a legacy .xls;
// TooLarge over MaxBatchRows.
func readSheet(data []byte) (sheet, error) {
	var rows [][]string
	var err error
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		rows, err = readXLSX(data)
	case bytes.HasPrefix(data, []byte("\xD0\xCF\x11\xE0")):
		return sheet{}, fileError("不支持 Excel 97-2003（.xls）格式，请在 Excel 中另存为 .xlsx 或 CSV 后上传")
	default:
		rows, err = readCSV(data)
	}
	if err != nil {
		return sheet{}, err
	}
	return toSheet(rows)
}

func fileError(msg string) error {
	return domain.InvalidFields(domain.FieldError{Field: "file", Message: msg})
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		decoded, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			return nil, fileError("文件编码无法识别，请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后上传")
		}
		data = decoded
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1 // rows may stop early; missing cells are empty
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fileError("CSV 文件第" + itoa(pe.StartLine) + "行格式有误（引号不成对等），请检查后重新上传")
			}
			return nil, fileError("CSV 文件无法读取，请检查后重新上传")
		}
		rows = append(rows, rec)
		if len(rows) > MaxBatchRows+1000 { // blank rows are dropped later; stop reading runaway files early
			return nil, tooManyRows()
		}
	}
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true, // dates as serial numbers, long numbers as typed: parsed here, not by a locale
		UnzipSizeLimit:    64 << 20,
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, fileError("Excel 文件无法打开，请确认是 .xlsx 格式且未加密")
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("Excel 文件中没有工作表")
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fileError("Excel 文件第一个工作表无法读取，请检查后重新上传")
	}
	if len(rows) > MaxBatchRows+1000 {
		return nil, tooManyRows()
	}
	return rows, nil
}

func tooManyRows() error {
	return domain.Errorf(domain.TooLarge, "每个文件最多%d行，请分成多个文件上传", MaxBatchRows)
}

// toSheet takes row 1 as the header and keeps the rows with any content,
// numbered as the spreadsheet numbers them.
func toSheet(rows [][]string) (sheet, error) {
	if len(rows) == 0 || blank(rows[0]) {
		return sheet{}, fileError("文件第1行应为列名（如 姓名、身份证号码），请使用模板填写")
	}
	s := sheet{Header: rows[0]}
	for i, r := range rows[1:] {
		if blank(r) {
			continue
		}
		s.Rows = append(s.Rows, sheetRow{No: i + 2, Cells: r})
	}
	if len(s.Rows) == 0 {
		return sheet{}, fileError("文件中没有数据行")
	}
	if len(s.Rows) > MaxBatchRows {
		return sheet{}, tooManyRows()
	}
	return s, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
