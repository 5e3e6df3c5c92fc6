package pdf

import (
	"codeberg.org/go-pdf/fpdf"

	"github.com/dandong-hrss/hrss/domain/document"
)

// geometry is one paper: its size, margins and type sizes (points).
type geometry struct {
	width, height float64 // mm; height 0 means a continuous roll cut to the content
	margin        float64 // left, right and top
	bottom        float64 // below the content: the footer on A4, the tear-off on a roll
	authority     float64 // 丹东市人力资源和社会保障局
	office        float64 // 丹东市社会保险事业服务中心
	title         float64
	heading       float64
	body          float64
	small         float64 // footer, captions
	label         float64 // width of the label column of label/value rows, mm
	qr            float64 // side of the QR code, mm
}

var geometries = map[document.PageSize]geometry{
	document.A4: {width: 210, height: 297, margin: 15, bottom: 20,
		authority: 16, office: 12, title: 20, heading: 12, body: 10.5, small: 8, label: 42, qr: 24},
	document.Receipt80mm: {width: 80, margin: 4, bottom: 10,
		authority: 10.5, office: 9, title: 13, heading: 9.5, body: 8.5, small: 7, label: 24, qr: 30},
}

// ptToMM converts a type size in points to millimetres.
const ptToMM = 25.4 / 72

// lineHeight is the distance between lines of text of size pt.
func lineHeight(pt float64) float64 { return pt * ptToMM * 1.45 }

// opKind is what a drawing operation draws.
type opKind int

const (
	opText opKind = iota // one line of text in a box of width w, aligned
	opLine               // a rule from (x, y) to (x+w, y+h)
	opFill               // a grey filled rectangle
	opBox                // a rectangle outline
	opQR                 // a QR code of side w
)

// op is one positioned drawing operation; y is from the top of its page.
type op struct {
	kind  opKind
	page  int
	x, y  float64
	w, h  float64
	size  float64 // text: type size in points
	align string  // text: "L", "C" or "R"
	text  string
	qr    [][]bool
}

// layout places a sheet's content into ops. It measures text with f's
// font but draws nothing; draw replays the ops afterwards.
type layout struct {
	f      *fpdf.Fpdf
	g      geometry
	widths map[rune]int // glyph widths in thousandths of an em
	ops    []op
	page   int     // current page, from 1
	y      float64 // where the next block starts
	pages  int
	// repeat, when set, is drawn at the top of each new page: the header
	// row of the table being laid out.
	repeat func()
}

func newLayout(f *fpdf.Fpdf, g geometry) *layout {
	return &layout{f: f, g: g, widths: map[rune]int{}, page: 1, pages: 1, y: g.margin}
}

// contentWidth is the width between the side margins.
func (l *layout) contentWidth() float64 { return l.g.width - 2*l.g.margin }

// pageHeight is the height of every page: A4's, or for a roll the content's
// own (known once the layout is done).
func (l *layout) pageHeight() float64 {
	if l.g.height == 0 {
		return l.y + l.g.bottom
	}
	return l.g.height
}

// room makes sure a block of height h fits on the current page, starting a
// new one when it does not (a roll never breaks). A block taller than a
// page is placed anyway and runs into the footer area.
func (l *layout) room(h float64) {
	if l.g.height == 0 || l.y+h <= l.g.height-l.g.bottom || l.y == l.g.margin {
		return
	}
	l.page++
	l.pages = l.page
	l.y = l.g.margin
	if l.repeat != nil {
		l.repeat()
	}
}

func (l *layout) add(o op) {
	o.page = l.page
	l.ops = append(l.ops, o)
}

// text places lines of text of size pt at x in a box of width w, from the
// current y, and returns the height used.
func (l *layout) text(lines []string, x, w, pt float64, align string, y float64) float64 {
	lh := lineHeight(pt)
	for i, s := range lines {
		l.add(op{kind: opText, x: x, y: y + float64(i)*lh, w: w, h: lh, size: pt, align: align, text: s})
	}
	return float64(len(lines)) * lh
}

// paragraph places wrapped text across the content width and moves down.
func (l *layout) paragraph(s string, pt float64, align string) {
	lines := l.wrap(s, l.contentWidth(), pt)
	l.room(float64(len(lines)) * lineHeight(pt))
	l.y += l.text(lines, l.g.margin, l.contentWidth(), pt, align, l.y)
}

// rule draws a horizontal line across the content width and moves down.
func (l *layout) rule(gap float64) {
	l.y += gap
	l.add(op{kind: opLine, x: l.g.margin, y: l.y, w: l.contentWidth()})
	l.y += gap
}
