package rating

import (
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

func TestLevels(t *testing.T) {
	tests := []struct {
		level Level
		label string
		bad   bool
	}{
		{VerySatisfied, "非常满意", false},
		{Satisfied, "满意", false},
		{FairlySatisfied, "基本满意", false},
		{Dissatisfied, "不满意", true},
		{VeryDissatisfied, "非常不满意", true},
		{0, "", false},
		{6, "", false},
	}
	for _, tt := range tests {
		if got := tt.level.Label(); got != tt.label {
			t.Errorf("Level(%d).Label(): got %q; want %q", tt.level, got, tt.label)
		}
		if got := tt.level.Bad(); got != tt.bad {
			t.Errorf("Level(%d).Bad(): got %v; want %v", tt.level, got, tt.bad)
		}
	}
}

func TestRateInputChecks(t *testing.T) {
	ok := RateInput{ApplicationID: "A1", Stage: StageCompleted, Level: Satisfied, RaterRef: "r"}
	tests := []struct {
		name  string
		edit  func(*RateInput)
		code  domain.Code
		field string
	}{
		{"fine", func(*RateInput) {}, "", ""},
		{"no rater", func(in *RateInput) { in.RaterRef = "" }, domain.Unauthenticated, ""},
		{"no application", func(in *RateInput) { in.ApplicationID = " " }, domain.Invalid, "applicationId"},
		{"unknown stage", func(in *RateInput) { in.Stage = "halfway" }, domain.Invalid, "stage"},
		{"level 0", func(in *RateInput) { in.Level = 0 }, domain.Invalid, "level"},
		{"level 6", func(in *RateInput) { in.Level = 6 }, domain.Invalid, "level"},
		{"bad without a reason", func(in *RateInput) { in.Level = Dissatisfied }, domain.Invalid, "comment"},
		{"bad with a tag", func(in *RateInput) { in.Level, in.Tags = Dissatisfied, []string{"态度差"} }, "", ""},
		{"too many tags", func(in *RateInput) { in.Tags = []string{"1", "2", "3", "4", "5", "6", "7", "8", "9"} }, domain.Invalid, "tags"},
		{"long tag", func(in *RateInput) {
			in.Tags = []string{"这是一个超过二十个字的评价标签这是一个超过二十个字"}
		}, domain.Invalid, "tags"},
		{"long comment", func(in *RateInput) { in.Comment = string(make([]rune, 501)) }, domain.Invalid, "comment"},
	}
	for _, tt := range tests {
		in := ok
		tt.edit(&in)
		_, err := in.normalize()
		if got := domain.ErrorCode(err); got != tt.code {
			t.Errorf("%s: got %v; want code %q", tt.name, err, tt.code)
			continue
		}
		if tt.field != "" {
			e := err.(*domain.Error)
			if len(e.Fields) == 0 || e.Fields[0].Field != tt.field {
				t.Errorf("%s: got fields %+v; want %s", tt.name, e.Fields, tt.field)
			}
		}
	}
}

func TestDeadlineSkipsWeekends(t *testing.T) {
	day := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, domain.Beijing) }
	if wd := day(5, 15, 0).Weekday(); wd != time.Friday {
		t.Fatalf("2026-05-15 is %s; the table below assumes Friday", wd)
	}
	tests := []struct {
		name   string
		opened time.Time
		days   int
		want   time.Time
	}{
		{"Friday, 1 day: end of Monday", day(5, 15, 16), 1, day(5, 19, 0)},
		{"Friday, 5 days: end of next Friday", day(5, 15, 9), 5, day(5, 23, 0)},
		{"Saturday, 1 day: end of Monday", day(5, 16, 10), 1, day(5, 19, 0)},
		{"Monday, 2 days: end of Wednesday", day(5, 18, 23), 2, day(5, 21, 0)},
		{"late Friday in UTC is Saturday in Beijing", time.Date(2026, 5, 15, 17, 0, 0, 0, time.UTC), 1, day(5, 19, 0)},
	}
	for _, tt := range tests {
		if got := Deadline(Weekdays{}, tt.opened, tt.days); !got.Equal(tt.want) {
			t.Errorf("%s: got %v; want %v", tt.name, got, tt.want)
		}
	}
}

func TestRectificationMoves(t *testing.T) {
	at := time.Date(2026, 5, 15, 16, 0, 0, 0, domain.Beijing)
	all := []State{StateOpen, StateCalledBack, StateVerified, StateFixed, StateExplained, StateAppealed, StateClosed}
	allowed := map[Action]map[State]State{
		ActionCallBack:  {StateOpen: StateCalledBack},
		ActionVerify:    {StateCalledBack: StateVerified},
		ActionFix:       {StateVerified: StateFixed},
		ActionExplain:   {StateVerified: StateExplained},
		ActionClose:     {StateFixed: StateClosed, StateExplained: StateClosed},
		ActionAppeal:    {StateOpen: StateAppealed, StateCalledBack: StateAppealed, StateVerified: StateAppealed},
		ActionUphold:    {StateAppealed: StateVerified}, // back to where the appeal came from
		ActionUnfounded: {StateAppealed: StateClosed},
	}
	for a, from := range allowed {
		for _, s := range all {
			r := Rectification{State: s}
			if s == StateAppealed {
				r.AppealedFrom = StateVerified
			}
			next, err := r.apply(a, "李明", "说明", at)
			want, ok := from[s]
			switch {
			case ok && (err != nil || next.State != want):
				t.Errorf("%s from %s: got %s, %v; want %s", a, s, next.State, err, want)
			case !ok && !domain.IsCode(err, domain.Conflict):
				t.Errorf("%s from %s: got %v; want Conflict", a, s, err)
			}
		}
	}
}

func TestStepNeedsActorAndNote(t *testing.T) {
	r := Rectification{State: StateOpen}
	for _, tt := range []struct{ by, note string }{{"", "已回访"}, {"李明", ""}, {"李明", string(make([]rune, 1001))}} {
		if _, err := r.apply(ActionCallBack, tt.by, tt.note, time.Now()); !domain.IsCode(err, domain.Invalid) {
			t.Errorf("by %q, note of %d chars: got %v; want Invalid", tt.by, len([]rune(tt.note)), err)
		}
	}
	next, err := r.apply(ActionCallBack, "李明", "申请人电话13812345678已回访", time.Now())
	if err != nil || next.Steps[0].Note != "申请人电话138****5678已回访" {
		t.Errorf("note: got %+v, %v; want the phone masked", next.Steps, err)
	}
	if _, err := r.apply("shred", "李明", "x", time.Now()); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("unknown action: got %v; want Invalid", err)
	}
}

func TestStatRates(t *testing.T) {
	s := Stat{Levels: [5]int{3, 2, 1, 1, 1}, Unfounded: 4}
	if s.Total() != 8 || s.Satisfied() != 6 || s.Bad() != 2 || s.SatisfactionRate() != 0.75 || s.BadRate() != 0.25 || s.Count(Dissatisfied) != 1 {
		t.Errorf("got total %d satisfied %d bad %d rates %v %v; want 8 6 2 0.75 0.25",
			s.Total(), s.Satisfied(), s.Bad(), s.SatisfactionRate(), s.BadRate())
	}
	if (Stat{}).SatisfactionRate() != 0 || (Stat{}).BadRate() != 0 {
		t.Errorf("empty stat: got non-zero rates; want 0")
	}
}

func TestStatsQueryChecks(t *testing.T) {
	day := time.Date(2026, 5, 15, 0, 0, 0, 0, domain.Beijing)
	tests := []struct {
		q    StatsQuery
		code domain.Code
	}{
		{StatsQuery{By: ByDay, From: day, To: day}, ""},
		{StatsQuery{By: "window", From: day, To: day}, domain.Invalid},
		{StatsQuery{By: ByDay}, domain.Invalid},
		{StatsQuery{By: ByDay, From: day, To: day.AddDate(0, 0, -1)}, domain.Invalid},
		{StatsQuery{By: ByDay, From: day, To: day, Stage: "halfway"}, domain.Invalid},
	}
	for _, tt := range tests {
		if got := domain.ErrorCode(tt.q.check()); got != tt.code {
			t.Errorf("check(%+v): got %q; want %q", tt.q, got, tt.code)
		}
	}
}
