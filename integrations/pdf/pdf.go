// Package pdf draws the bureau's documents as PDF (document.Renderer): A4
// for office printers, and an 80 mm wide continuous receipt, as long as its
// content, for the kiosks' thermal printers.
//
// Chinese text is set in Droid Sans Fallback (Apache-2.0, fonts/ with its
// licence and NOTICE), embedded in the binary and subset into every PDF:
// only the glyphs a document uses are written, so a receipt is tens of
// kilobytes, not the font's 4 MB. The font has a ToUnicode map, so a PDF
// reader can search, copy and extract the text. Characters outside the
// Basic Multilingual Plane, which the PDF writer cannot set, print as 〓,
// the typesetter's mark for a missing character.
//
// Layout is done first, into positioned drawing operations, with the font's
// metrics; then the operations are drawn. That is what lets a receipt's
// page be exactly as long as its content, and lets an A4 footer say
// "第 1 页 共 3 页" without the writer's page-count alias.
package pdf

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"runtime"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/document"
)

// droidSans is DroidSansFallbackFull.ttf from Debian's fonts-droid-fallback.
//
//go:embed fonts/DroidSansFallbackFull.ttf
var droidSans []byte

// fontFamily is the name the font is registered under in each PDF.
const fontFamily = "droid"

// Renderer draws documents. It is safe for concurrent use.
//
// Each render parses the 4 MB font afresh (the PDF writer keeps no parsed
// font between documents) and allocates about 27 MB doing so, for 60–100 ms
// of CPU. A semaphore bounds how many run at once, so that a burst of
// prints costs queueing time rather than the server's memory.
type Renderer struct {
	slots chan struct{}
}

var _ document.Renderer = (*Renderer)(nil)

// New returns a Renderer running at most one render per CPU at a time.
func New() *Renderer { return NewWithLimit(runtime.GOMAXPROCS(0)) }

// NewWithLimit returns a Renderer running at most n renders at a time.
func NewWithLimit(n int) *Renderer { return &Renderer{slots: make(chan struct{}, max(n, 1))} }

// Render lays out s on its page size and returns the PDF. The output
// depends only on s: the same sheet gives the same bytes. Error: Internal
// when the PDF cannot be written; Timeout when ctx ends while waiting for a
// free slot.
func (r *Renderer) Render(ctx context.Context, s document.Sheet) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, domain.Wrap(err, domain.Timeout, "打印排队超时，请稍后重试")
	}
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return nil, domain.Wrap(ctx.Err(), domain.Timeout, "打印排队超时，请稍后重试")
	}
	g, ok := geometries[s.PageSize]
	if !ok {
		return nil, domain.Errorf(domain.Internal, "不支持的纸张规格")
	}
	f := newPDF(s)
	l := newLayout(f, g)
	if err := l.sheet(s); err != nil {
		return nil, err
	}
	draw(f, l, s)
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, domain.Wrap(fmt.Errorf("write PDF %s: %w", s.Serial, err), domain.Internal, "文书生成失败，请稍后重试或到窗口打印")
	}
	return buf.Bytes(), nil
}

// newPDF starts a document with the font loaded and the metadata set from
// the sheet, dated with its issue time so the output is reproducible.
func newPDF(s document.Sheet) *fpdf.Fpdf {
	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	// fpdf writes into the font's bytes while it subsets them, so every
	// render gets a copy of its own: sharing the embedded bytes let two
	// concurrent prints corrupt each other's font (the race detector saw it).
	f.AddUTF8FontFromBytes(fontFamily, "", bytes.Clone(droidSans))
	f.SetFont(fontFamily, "", 10)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(0)
	f.SetCatalogSort(true)
	f.SetCreationDate(s.Issued())
	f.SetModificationDate(s.Issued())
	f.SetTitle(clean(s.Title)+" "+s.Serial, true)
	f.SetAuthor(clean(s.IssuedBy.Office), true)
	f.SetSubject(clean(s.Kind.Label()), true)
	f.SetCreator("丹东人社 hrss", true)
	f.SetProducer("hrss", false)
	f.SetLang("zh-CN")
	return f
}

// clean makes s settable: controls other than line breaks go, tabs become
// spaces, and characters beyond the Basic Multilingual Plane become 〓.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		case r > 0xFFFF:
			return '〓'
		}
		return r
	}, s)
}
