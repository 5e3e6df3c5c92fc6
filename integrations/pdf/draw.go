package pdf

import (
	"fmt"

	"codeberg.org/go-pdf/fpdf"

	"github.com/dandong-hrss/hrss/domain/document"
)

// draw writes the laid-out pages into f, with the page footer on A4.
func draw(f *fpdf.Fpdf, l *layout, s document.Sheet) {
	size := fpdf.SizeType{Wd: l.g.width, Ht: l.pageHeight()}
	byPage := make([][]op, l.pages+1)
	for _, o := range l.ops {
		byPage[o.page] = append(byPage[o.page], o)
	}
	f.SetLineWidth(0.2)
	f.SetDrawColor(0, 0, 0)
	f.SetTextColor(0, 0, 0)
	for page := 1; page <= l.pages; page++ {
		f.AddPageFormat("P", size)
		for _, o := range byPage[page] {
			l.drawOp(o)
		}
		if l.g.height != 0 {
			l.footer(s.Serial, page)
		}
	}
}

func (l *layout) drawOp(o op) {
	f := l.f
	switch o.kind {
	case opText:
		l.drawText(o.text, o.x, o.y, o.w, o.h, o.size, o.align)
	case opLine:
		f.Line(o.x, o.y, o.x+o.w, o.y+o.h)
	case opFill:
		f.SetFillColor(235, 235, 235)
		f.Rect(o.x, o.y, o.w, o.h, "F")
	case opBox:
		f.Rect(o.x, o.y, o.w, o.h, "D")
	case opQR:
		drawQR(f, o.x, o.y, o.w, o.qr)
	}
}

// drawText draws one line as runs of Latin and CJK text, each in its font,
// placed one after the other at their measured widths.
func (l *layout) drawText(s string, x, y, w, h, pt float64, align string) {
	switch align {
	case "C":
		x += (w - l.stringWidth(s, pt)) / 2
	case "R":
		x += w - l.stringWidth(s, pt)
	}
	for _, r := range runs(s) {
		rw := l.stringWidth(r.text, pt)
		text := r.text
		if r.latin {
			l.f.SetFont(latinFamily, "", pt)
			text = latin1(text)
		} else {
			l.f.SetFont(cjkFamily, "", pt)
		}
		l.f.SetXY(x, y)
		l.f.CellFormat(rw, h, text, "", 0, "L", false, 0, "")
		x += rw
	}
}

// drawQR draws the dark modules as filled rectangles, one per horizontal
// run: vector, so it stays sharp on a 203 dpi thermal head.
func drawQR(f *fpdf.Fpdf, x, y, side float64, bm [][]bool) {
	if len(bm) == 0 {
		return
	}
	m := side / float64(len(bm))
	f.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			// A hair of overlap so no seam shows between rows on screen.
			f.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m+0.02, "F")
		}
	}
}

// footer prints the serial and the page number at the foot of an A4 page,
// so every sheet of a long statement can be matched to its record.
func (l *layout) footer(serial string, page int) {
	g := l.g
	y := g.height - g.bottom + 8
	w := l.contentWidth()
	h := lineHeight(g.small)
	l.f.Line(g.margin, y-1.5, g.margin+w, y-1.5)
	l.drawText("文书编号："+serial, g.margin, y, w, h, g.small, "L")
	l.drawText(fmt.Sprintf("第 %d 页 共 %d 页", page, l.pages), g.margin, y, w, h, g.small, "R")
}
