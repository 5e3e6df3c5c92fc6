package pdf

import "github.com/dandong-hrss/hrss/domain/document"

// cellPad is the space between a table cell's border and its text, mm.
const cellPad = 1

// table lays out a grid: a grey header row, then the rows, every cell
// wrapping within its column. On A4 a row that does not fit starts a new
// page, which repeats the header row.
func (l *layout) table(t document.Table) {
	widths := l.columnWidths(t)
	header := func() { l.tableRow(t.Columns, widths, true) }
	l.room(2 * (lineHeight(l.tablePt()) + 2*cellPad)) // the header row and one more
	header()
	l.repeat = header
	for _, row := range t.Rows {
		l.tableRow(row, widths, false)
	}
	l.repeat = nil
}

// columnWidths shares the content width by the table's weights, or
// equally when it has none.
func (l *layout) columnWidths(t document.Table) []float64 {
	weights := t.Widths
	if len(weights) != len(t.Columns) {
		weights = nil
	}
	var total float64
	for i := range t.Columns {
		if weights == nil || weights[i] <= 0 {
			total++
		} else {
			total += weights[i]
		}
	}
	out := make([]float64, len(t.Columns))
	for i := range out {
		w := 1.0
		if weights != nil && weights[i] > 0 {
			w = weights[i]
		}
		out[i] = l.contentWidth() * w / total
	}
	return out
}

// tablePt is the type size of tables: a roll's columns are narrow.
func (l *layout) tablePt() float64 {
	if l.g.height == 0 {
		return l.g.small
	}
	return l.g.body
}

// tableRow lays out one row of cells as tall as its tallest cell.
func (l *layout) tableRow(cells []string, widths []float64, header bool) {
	pt := l.tablePt()
	wrapped := make([][]string, len(cells))
	lines := 1
	for i, c := range cells {
		wrapped[i] = l.wrap(c, widths[i]-2*cellPad, pt)
		lines = max(lines, len(wrapped[i]))
	}
	h := float64(lines)*lineHeight(pt) + 2*cellPad
	if !header {
		l.room(h) // a new page lays out the header row first
	}
	x := l.g.margin
	for i, w := range widths {
		if header {
			l.add(op{kind: opFill, x: x, y: l.y, w: w, h: h})
		}
		l.add(op{kind: opBox, x: x, y: l.y, w: w, h: h})
		align := "L"
		if header {
			align = "C"
		}
		l.text(wrapped[i], x+cellPad, w-2*cellPad, pt, align, l.y+cellPad)
		x += w
	}
	l.y += h
}
