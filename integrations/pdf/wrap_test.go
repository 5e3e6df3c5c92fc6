package pdf

import (
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain/document"
)

func testLayout(t *testing.T) *layout {
	t.Helper()
	return newLayout(newPDF(document.Sheet{}), geometries[document.Receipt80mm])
}

func TestWrapKeepsEveryCharacterWithinTheWidth(t *testing.T) {
	l := testLayout(t)
	const pt, w = 8.5, 30.0
	tests := []struct {
		name, in string
		check    func(lines []string) string
	}{
		{"closing punctuation stays on its line", strings.Repeat("社会保险", 2) + "，" + strings.Repeat("经办", 8), func(lines []string) string {
			for _, line := range lines {
				if r := []rune(line); len(r) > 0 && closing(r[0]) {
					return "a line starts with " + string(r[0])
				}
			}
			return ""
		}},
		{"a Latin word is not cut when it fits a line", "访问 https://rs.dandong.example/verify/DDRS20261129K7QX3M9A 核验", func(lines []string) string {
			for _, line := range lines {
				if strings.HasSuffix(line, "http") || strings.HasPrefix(line, "s://") {
					return "the address was cut at its start: " + strings.Join(lines, "|")
				}
			}
			return ""
		}},
		{"line breaks are kept", "第一行\n第二行", func(lines []string) string {
			if len(lines) != 2 {
				return "want 2 lines"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := l.wrap(tt.in, w, pt)
			if got, want := strings.Join(lines, ""), strings.NewReplacer(" ", "", "\n", "").Replace(tt.in); strings.ReplaceAll(got, " ", "") != want {
				t.Errorf("characters lost or added: got %q; want %q", got, want)
			}
			for _, line := range lines {
				if r := []rune(line); len(r) > 1 && l.stringWidth(string(r[:len(r)-1]), pt) > w {
					t.Errorf("line %q is wider than %v mm", line, w)
				}
			}
			if msg := tt.check(lines); msg != "" {
				t.Error(msg)
			}
		})
	}
}
