package kiosk

import (
	"context"
	"net/http"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/danielgtaylor/huma/v2"
)

// The headers of a print answer. The body is the PDF itself: the kiosk's
// print driver sends it to the printer as it comes, and the serial is in a
// header so the screen can show it without parsing the file.
const (
	HeaderPrintSerial = "X-Print-Serial"     // the document's serial (文书编号), DDRS…
	HeaderPrintVerify = "X-Print-Verify-URL" // the page its QR code opens
	HeaderPrintPaper  = "X-Print-Paper"      // a4 or receipt80mm: which printer takes it
)

// printOut is a printed document: the PDF bytes, with what the kiosk needs
// to route and show it in headers.
type printOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	CacheControl       string `header:"Cache-Control"`
	Serial             string `header:"X-Print-Serial" doc:"文书编号：印在文书页脚和二维码下方，可在 /verify/{serial} 核验"`
	VerifyURL          string `header:"X-Print-Verify-URL" doc:"扫码核验地址"`
	Paper              string `header:"X-Print-Paper" enum:"a4,receipt80mm" doc:"纸张：a4 送A4打印机，receipt80mm 送80毫米热敏凭条打印机"`
	Body               []byte
}

// printed answers with p: no cache may keep a person's statement.
func printed(p document.Printed, paper document.PageSize) *printOut {
	return &printOut{ContentType: "application/pdf", CacheControl: "no-store",
		ContentDisposition: `inline; filename="` + p.Serial + `.pdf"`,
		Serial:             p.Serial, VerifyURL: p.VerifyURL, Paper: string(paper), Body: p.PDF}
}

// printFor makes the handler of a print for the session: build the
// document from the holder's own data, issue it through the document
// service (which records the print and audits it), and audit the kiosk's
// part with the serial.
func printFor[I any](c *Channel, action string, build func(context.Context, Session, *I) (document.Document, error)) func(context.Context, *I) (*printOut, error) {
	return func(ctx context.Context, in *I) (*printOut, error) {
		s, _ := SessionFrom(ctx)
		d, err := build(ctx, s, in)
		var p document.Printed
		if err == nil {
			d.Issuer = document.Issuer{Channel: domain.Kiosk, DeviceID: s.Device}
			d.RequestedBy = requester(s)
			d.RequestID = web.RequestIDFromContext(ctx)
			p, err = c.docs.Issue(ctx, d)
		}
		c.recordWith(ctx, s, action, err, map[string]string{"serial": p.Serial})
		if err != nil {
			return nil, err
		}
		return printed(p, d.PageSize), nil
	}
}

// requester is who asks for a print in the audit log's terms: the citizen,
// or the unit's clerk, by the blind index of their ID number.
func requester(s Session) document.Actor {
	if s.Kind == UnitSession {
		return document.Actor{Kind: audit.UnitOperator, Ref: s.PersonRef}
	}
	return document.Actor{Kind: audit.Person, Ref: s.PersonRef}
}

// personSubject is the card holder as a document names them; the name is
// the session's, masked already, and the ID number is printed masked.
func personSubject(s Session) document.Subject {
	return document.Subject{Name: s.Name, ID: s.Person}
}

// unitSubject is the session's unit; its credit code is public and
// printed in full.
func unitSubject(s Session) document.Subject {
	return document.Subject{Name: s.UnitName, Unit: s.Unit}
}

// printOp describes a print route: a POST, since every print is a new
// record with a new serial, answered with the PDF.
func (r registrar) printOp(a Access, id, path, summary, description string) huma.Operation {
	op := r.op(a, id, http.MethodPost, path, summary, description+"返回 PDF 文件本身（application/pdf），"+
		"文书编号在 "+HeaderPrintSerial+" 响应头，纸张在 "+HeaderPrintPaper+" 响应头。每次打印生成新的文书编号并留存打印记录。", 0)
	op.Responses = map[string]*huma.Response{"200": {Description: "PDF 文书", Content: map[string]*huma.MediaType{
		"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
	return op
}

// table is a document table from the kiosk's columns and display rows.
func table(cols []Column, rows [][]string, widths ...float64) *document.Table {
	t := &document.Table{Columns: make([]string, len(cols)), Rows: rows, Widths: widths}
	for i, col := range cols {
		t.Columns[i] = col.Label
	}
	if t.Rows == nil {
		t.Rows = [][]string{}
	}
	return t
}

// docRows turns labelled values into document rows.
func docRows(fields []Field) []document.Row {
	out := make([]document.Row, len(fields))
	for i, f := range fields {
		out[i] = document.Row{Label: f.Label, Value: f.Value}
	}
	return out
}
