package announcement_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
)

func TestEmbeddedSeedCoversEveryCategory(t *testing.T) {
	f, err := announcement.EmbeddedSeed()
	if err != nil {
		t.Fatal(err)
	}
	if f.Version < 1 || len(f.Items) < 20 {
		t.Fatalf("seed: got version %d with %d items; want at least version 1 and 20 items", f.Version, len(f.Items))
	}
	per := map[announcement.Category]int{}
	for _, it := range f.Items {
		per[it.Category]++
	}
	for _, c := range announcement.Categories {
		if per[c] < 4 {
			t.Errorf("category %s (%s): got %d items; want at least 4", c, c.Label(), per[c])
		}
	}
}

func TestParseSeedRefusesUnknownKeys(t *testing.T) {
	if _, err := announcement.ParseSeed([]byte(`{"version":1,"announcements":[{"id":"a-b","titel":"x"}]}`)); err == nil {
		t.Error("a misspelt key: got no error; want one")
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"  养老  认证 ", []string{"养老", "认证"}},
		{"", nil},
		{"一 二 三 四", []string{"一", "二", "三"}},
		{strings.Repeat("长", 30), []string{strings.Repeat("长", 20)}},
	}
	for _, tt := range tests {
		if got := announcement.Terms(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Terms(%q): got %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestEffectAt(t *testing.T) {
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, domain.Beijing) }
	a := announcement.Announcement{EffectiveFrom: day(1, 1), EffectiveUntil: day(7, 1)}
	tests := []struct {
		at   time.Time
		want announcement.Effect
	}{
		{day(1, 1).Add(-time.Second), announcement.Pending},
		{day(1, 1), announcement.Effective},
		{day(7, 1).Add(-time.Second), announcement.Effective},
		{day(7, 1), announcement.Expired},
	}
	for _, tt := range tests {
		if got := a.EffectAt(tt.at); got != tt.want {
			t.Errorf("EffectAt(%v): got %q; want %q", tt.at, got, tt.want)
		}
	}
	if got := (announcement.Announcement{}).EffectAt(day(3, 3)); got != announcement.None || got.Label() != "" {
		t.Errorf("a guide without dates: got %q; want None", got)
	}
}

func TestSummaryAndParagraphs(t *testing.T) {
	a := announcement.Announcement{Body: "\n  第一段文字很长很长。 \n\n第二段\n"}
	if got := a.Paragraphs(); !slices.Equal(got, []string{"第一段文字很长很长。", "第二段"}) {
		t.Errorf("Paragraphs: got %q", got)
	}
	if got := a.Summary(5); got != "第一段文字…" {
		t.Errorf("Summary(5): got %q; want 第一段文字…", got)
	}
	if got := a.Summary(50); got != "第一段文字很长很长。" {
		t.Errorf("Summary(50): got %q; want the whole first paragraph", got)
	}
}
