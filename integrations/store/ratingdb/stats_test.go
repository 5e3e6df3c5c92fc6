package ratingdb_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// seedStats rates a known set: pension (养老) on WeChat, unemployment (失业)
// at the counter, on Friday the 15th and Saturday the 16th, plus one on
// Sunday the 17th, outside every query below.
func seedStats(t *testing.T, w *world) {
	t.Helper()
	pension := func(id string) {
		w.completed(id, alice)
	}
	unemployment := func(id string) {
		f := w.completed(id, alice)
		f.MatterCode, f.MatterName, f.Channel, f.Office, f.Staff = "SY-002", "失业保险金申领", domain.Counter, "失业保险科", "赵强（0311）"
		w.apps.put(f)
	}
	sat := time.Date(2026, 5, 16, 10, 0, 0, 0, domain.Beijing)
	sun := time.Date(2026, 5, 17, 10, 0, 0, 0, domain.Beijing)
	ratings := []struct {
		id    string
		kind  func(string)
		stage rating.Stage
		level rating.Level
		at    time.Time
	}{
		{"L1", pension, rating.StageCompleted, rating.VerySatisfied, friday},
		{"L2", pension, rating.StageCompleted, rating.Satisfied, friday},
		{"L3", pension, rating.StageCompleted, rating.Dissatisfied, friday},
		{"L4", pension, rating.StageCompleted, rating.VeryDissatisfied, sat},
		{"S1", unemployment, rating.StageCompleted, rating.VerySatisfied, friday},
		{"S2", unemployment, rating.StageCompleted, rating.FairlySatisfied, friday},
		{"S3", unemployment, rating.StageCompleted, rating.VerySatisfied, sat},
		{"S3", unemployment, rating.StageAccepted, rating.Satisfied, sat},
		{"X1", pension, rating.StageCompleted, rating.VeryDissatisfied, sun},
	}
	for _, r := range ratings {
		r.kind(r.id)
		w.clock.Set(r.at)
		w.rate(t, r.id, alice, r.stage, r.level)
	}
}

func TestStatistics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, rating.Config{})
		seedStats(t, w)
		sat := time.Date(2026, 5, 16, 23, 0, 0, 0, domain.Beijing)
		type row struct {
			key, label    string
			levels        [5]int
			satRate, rate float64 // satisfaction and bad-rating rates
		}
		tests := []struct {
			name string
			q    rating.StatsQuery
			want []row
		}{
			{"by matter", rating.StatsQuery{By: rating.ByMatter, From: friday, To: sat}, []row{
				{"LN-001", "养老保险待遇申领", [5]int{1, 1, 0, 1, 1}, 0.5, 0.5},
				{"SY-002", "失业保险金申领", [5]int{2, 1, 1, 0, 0}, 1, 0},
			}},
			{"by matter, result only", rating.StatsQuery{By: rating.ByMatter, From: friday, To: sat, Stage: rating.StageCompleted}, []row{
				{"LN-001", "养老保险待遇申领", [5]int{1, 1, 0, 1, 1}, 0.5, 0.5},
				{"SY-002", "失业保险金申领", [5]int{2, 0, 1, 0, 0}, 1, 0},
			}},
			{"by channel", rating.StatsQuery{By: rating.ByChannel, From: friday, To: sat}, []row{
				{"counter", "服务大厅窗口", [5]int{2, 1, 1, 0, 0}, 1, 0},
				{"wechat", "人社公众号", [5]int{1, 1, 0, 1, 1}, 0.5, 0.5},
			}},
			{"by office", rating.StatsQuery{By: rating.ByOffice, From: friday, To: friday}, []row{
				{"养老保险科", "养老保险科", [5]int{1, 1, 0, 1, 0}, 2.0 / 3, 1.0 / 3},
				{"失业保险科", "失业保险科", [5]int{1, 0, 1, 0, 0}, 1, 0},
			}},
			{"by staff", rating.StatsQuery{By: rating.ByStaff, From: sat, To: sat}, []row{
				{"王芳（0042）", "王芳（0042）", [5]int{0, 0, 0, 0, 1}, 0, 1},
				{"赵强（0311）", "赵强（0311）", [5]int{1, 1, 0, 0, 0}, 1, 0},
			}},
			{"by day", rating.StatsQuery{By: rating.ByDay, From: friday, To: sat}, []row{
				{"2026-05-15", "2026-05-15", [5]int{2, 1, 1, 1, 0}, 0.8, 0.2},
				{"2026-05-16", "2026-05-16", [5]int{1, 1, 0, 0, 1}, 2.0 / 3, 1.0 / 3},
			}},
		}
		for _, tt := range tests {
			got, err := w.svc.Stats(context.Background(), tt.q)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if len(got) != len(tt.want) {
				t.Errorf("%s: got %d groups %+v; want %d", tt.name, len(got), got, len(tt.want))
				continue
			}
			for i, want := range tt.want {
				g := got[i]
				if g.Key != want.key || g.Label != want.label || g.Levels != want.levels {
					t.Errorf("%s row %d: got %s %s %v; want %s %s %v", tt.name, i, g.Key, g.Label, g.Levels, want.key, want.label, want.levels)
				}
				if !near(g.SatisfactionRate(), want.satRate) || !near(g.BadRate(), want.rate) {
					t.Errorf("%s %s: got rates %.3f, %.3f; want %.3f, %.3f", tt.name, want.key, g.SatisfactionRate(), g.BadRate(), want.satRate, want.rate)
				}
			}
		}
	})
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
