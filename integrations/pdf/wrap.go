package pdf

import (
	"strings"
	"unicode"
)

// runeWidth is the advance of r at pt points, in mm, in the font it is
// set in.
func (l *layout) runeWidth(r rune, pt float64) float64 {
	w, ok := l.widths[r]
	if !ok {
		if isLatin(r) {
			l.f.SetFont(latinFamily, "", 0)
			w = l.f.GetStringSymbolWidth(latin1(string(r)))
		} else {
			l.f.SetFont(cjkFamily, "", 0)
			w = l.f.GetStringSymbolWidth(string(r))
		}
		l.widths[r] = w
	}
	return float64(w) * pt * ptToMM / 1000
}

// stringWidth is the advance of s at pt points, in mm.
func (l *layout) stringWidth(s string, pt float64) float64 {
	var w float64
	for _, r := range s {
		w += l.runeWidth(r, pt)
	}
	return w
}

// wrap breaks s into lines no wider than w at pt points. Chinese text may
// break between any two characters, except that closing punctuation (，。）
// stays with the character before it; a run of Latin letters or digits
// breaks at its last space, or anywhere when it has none. A line break in
// s starts a new line; an empty s is one empty line.
func (l *layout) wrap(s string, w, pt float64) []string {
	var lines []string
	for _, para := range strings.Split(clean(s), "\n") {
		lines = append(lines, l.wrapLine([]rune(para), w, pt)...)
	}
	return lines
}

func (l *layout) wrapLine(rs []rune, w, pt float64) []string {
	var lines []string
	start, width := 0, 0.0
	for i := 0; i < len(rs); i++ {
		rw := l.runeWidth(rs[i], pt)
		if width+rw <= w || i == start || closing(rs[i]) {
			width += rw
			continue
		}
		end := breakAt(rs, start, i)
		lines = append(lines, strings.TrimRight(string(rs[start:end]), " "))
		for end < len(rs) && rs[end] == ' ' {
			end++
		}
		start, width, i = end, 0, end-1 // the loop's i++ resumes at end
	}
	return append(lines, strings.TrimRight(string(rs[start:]), " "))
}

// breakAt is where to end the line rs[start:i] that rs[i] no longer fits:
// before rs[i], or for a Latin word cut in the middle, after the last space
// before it.
func breakAt(rs []rune, start, i int) int {
	if wide(rs[i]) || rs[i] == ' ' || wide(rs[i-1]) {
		return i
	}
	for j := i - 1; j > start; j-- {
		if rs[j] == ' ' {
			return j + 1
		}
		if wide(rs[j]) {
			return j + 1
		}
	}
	return i
}

// wide reports a CJK character or full-width punctuation: a line may break
// on either side of one.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// closing reports punctuation that must not begin a line (避头点).
func closing(r rune) bool {
	return strings.ContainsRune("，。、；：？！）》」』”’】〕…,.;:?!)]", r)
}
