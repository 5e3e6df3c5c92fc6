package enterprise

import (
	"bytes"
	"context"
	"encoding/csv"

	"github.com/dandong-hrss/hrss/domain/account"
)

type entTemplateIn struct {
	Kind string `path:"kind" enum:"staff_add,staff_remove,base_declaration" doc:"staff_add 批量增员；staff_remove 批量减员；base_declaration 缴费基数申报"`
}

type entTemplateOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

// template answers the CSV template of a batch kind: UTF-8 with a BOM, so
// that Excel opens it in Chinese, the header row and one example row.
func (ch *Channel) template(_ context.Context, in *entTemplateIn) (*entTemplateOut, error) {
	l := layouts[account.BatchKind(in.Kind)]
	var b bytes.Buffer
	b.WriteString("\xEF\xBB\xBF")
	w := csv.NewWriter(&b)
	header := make([]string, len(l.Columns))
	example := make([]string, len(l.Columns))
	for i, c := range l.Columns {
		header[i], example[i] = c.Name, c.Example
	}
	_ = w.Write(header) // a bytes.Buffer does not fail
	_ = w.Write(example)
	w.Flush()
	return &entTemplateOut{ContentType: "text/csv; charset=utf-8",
		ContentDisposition: `attachment; filename="` + in.Kind + `.csv"`, Body: b.Bytes()}, nil
}
