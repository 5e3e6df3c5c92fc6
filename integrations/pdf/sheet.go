package pdf

import (
	"fmt"

	"github.com/skip2/go-qrcode"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/document"
)

// sheet lays out the whole document: the bureau's header, the title, the
// subject, the sections, and the issue block with the QR code.
func (l *layout) sheet(s document.Sheet) error {
	qr, err := qrBitmap(s.VerifyURL)
	if err != nil {
		return err
	}
	if l.g.height != 0 {
		// A4: the QR code sits in the top right corner of the first page,
		// beside the centred header.
		x := l.g.width - l.g.margin - l.g.qr
		l.add(op{kind: opQR, x: x, y: l.g.margin, w: l.g.qr, qr: qr})
		l.text([]string{"扫码核验"}, x, l.g.qr, l.g.small, "C", l.g.margin+l.g.qr+0.5)
	}
	l.header(s)
	l.rows(s.Subject)
	for _, sec := range s.Sections {
		l.section(sec)
	}
	l.issued(s)
	if l.g.height == 0 {
		l.receiptQR(qr)
	}
	return nil
}

// header centres the bureau's names and the title. On A4 they keep clear
// of the QR code in the corner: they are set in a box inset by the code's
// width on both sides, so they stay centred on the page.
func (l *layout) header(s document.Sheet) {
	inset := 0.0
	if l.g.height != 0 {
		inset = l.g.qr + 3
	}
	l.centred(s.IssuedBy.Authority, l.g.authority, inset)
	l.y += 1
	l.centred(s.IssuedBy.Office, l.g.office, inset)
	l.rule(2)
	l.centred(s.Title, l.g.title, inset)
	l.y += lineHeight(l.g.body) / 2
}

// centred places wrapped text centred in the content width less inset on
// each side, and moves down.
func (l *layout) centred(s string, pt, inset float64) {
	w := l.contentWidth() - 2*inset
	lines := l.wrap(s, w, pt)
	l.y += l.text(lines, l.g.margin+inset, w, pt, "C", l.y)
}

// rows lays out label/value pairs in two columns, both wrapping.
func (l *layout) rows(rows []document.Row) {
	lw := l.g.label
	vw := l.contentWidth() - lw
	pt := l.g.body
	for _, r := range rows {
		label := l.wrap(r.Label+"：", lw-1, pt)
		value := l.wrap(r.Value, vw, pt)
		h := float64(max(len(label), len(value))) * lineHeight(pt)
		l.room(h)
		l.text(label, l.g.margin, lw, pt, "L", l.y)
		l.text(value, l.g.margin+lw, vw, pt, "L", l.y)
		l.y += h
	}
}

func (l *layout) section(sec document.Section) {
	if sec.Heading != "" {
		l.y += lineHeight(l.g.body) / 2
		// Keep the heading with at least one line of what follows.
		l.room(lineHeight(l.g.heading) + 2*lineHeight(l.g.body))
		l.paragraph(sec.Heading, l.g.heading, "L")
		l.add(op{kind: opLine, x: l.g.margin, y: l.y, w: l.contentWidth()})
		l.y += 1
	}
	l.rows(sec.Rows)
	if sec.Table != nil {
		l.y += 1
		l.table(*sec.Table)
	}
}

// issued is the block after the content: who issued the document, where,
// when, its serial and digest, and how to verify it.
func (l *layout) issued(s document.Sheet) {
	l.y += lineHeight(l.g.body)
	l.rule(1)
	where := s.IssuedBy.Channel.Label()
	if s.IssuedBy.DeviceID != "" {
		where += "（设备编号 " + s.IssuedBy.DeviceID + "）"
	}
	rows := []document.Row{
		{Label: "出具单位", Value: s.IssuedBy.Office},
		{Label: "打印渠道", Value: where},
		{Label: "打印时间", Value: printTime(s)},
		{Label: "文书编号", Value: s.Serial},
		{Label: "内容摘要", Value: "SHA-256 " + short(s.Digest)},
	}
	l.rows(rows)
	l.y += 1
	l.paragraph("本文书可扫描二维码或访问 "+s.VerifyURL+" 核验真伪，核验页面所示内容应与本文书一致。", l.g.small, "L")
}

// short is the first 16 hex digits of a digest: enough to compare the
// paper with the verify page by eye.
func short(digest string) string {
	if len(digest) > 16 {
		return digest[:16]
	}
	return digest
}

// printTime is the issue time as the bureau's slips print it.
func printTime(s document.Sheet) string {
	t := s.Issued().In(domain.Beijing)
	return fmt.Sprintf("%s %s（北京时间）", domain.FormatDateCN(t), t.Format("15:04:05"))
}

// receiptQR puts the QR code, centred, at the end of a receipt.
func (l *layout) receiptQR(qr [][]bool) {
	h := l.g.qr + lineHeight(l.g.small) + 3
	l.room(h)
	l.y += 2
	x := (l.g.width - l.g.qr) / 2
	l.add(op{kind: opQR, x: x, y: l.y, w: l.g.qr, qr: qr})
	l.y += l.g.qr + 1
	l.paragraph("扫码核验", l.g.small, "C")
}

// qrBitmap encodes url at the medium recovery level, which survives a
// smudged thermal print. The quiet zone is left to the white space around.
func qrBitmap(url string) ([][]bool, error) {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return nil, domain.Wrap(err, domain.Internal, "文书核验码生成失败，请稍后重试")
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}
