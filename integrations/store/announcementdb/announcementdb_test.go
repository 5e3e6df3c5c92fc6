package announcementdb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/announcementdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

func open(t *testing.T, db *store.DB, seed announcement.SeedFile) *announcement.Service {
	t.Helper()
	svc, err := announcement.Open(context.Background(), announcement.Config{Store: announcementdb.New(db), Seed: seed,
		Now: func() time.Time { return time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return svc
}

func embedded(t *testing.T) announcement.SeedFile {
	t.Helper()
	f, err := announcement.EmbeddedSeed()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func ids(items []announcement.Announcement) []string {
	out := make([]string, len(items))
	for i, a := range items {
		out[i] = a.ID
	}
	return out
}

func TestListPagesPinnedFirst(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := open(t, db, embedded(t))
		all, err := svc.List(ctx, "", "", 1, 0)
		if err != nil {
			t.Fatal(err)
		}
		if all.Total != len(embedded(t).Items) || len(all.Items) != announcement.PageSize {
			t.Errorf("all: got %d of %d; want a page of %d of %d", len(all.Items), all.Total, announcement.PageSize, len(embedded(t).Items))
		}
		p1, err := svc.List(ctx, announcement.Procedure, "", 1, 6)
		if err != nil {
			t.Fatal(err)
		}
		p2, _ := svc.List(ctx, announcement.Procedure, "", 2, 6)
		p3, _ := svc.List(ctx, announcement.Procedure, "", 3, 6)
		if p1.Total != 8 || len(p1.Items) != 6 || len(p2.Items) != 2 || len(p3.Items) != 0 || p1.Pages() != 2 {
			t.Fatalf("procedure pages: got %d, %d, %d items of %d; want 6, 2, 0 of 8 on 2 pages", len(p1.Items), len(p2.Items), len(p3.Items), p1.Total)
		}
		if got := p1.Items[0].ID; got != "pension-certification-guide" {
			t.Errorf("first procedure: got %s; want the pinned certification guide", got)
		}
		// After the pinned one, newest first, and no item on two pages.
		rest := append(p1.Items[1:], p2.Items...)
		for i := 1; i < len(rest); i++ {
			if rest[i].PublishedAt.After(rest[i-1].PublishedAt) {
				t.Errorf("%s (%v) listed after %s (%v); want newest first", rest[i].ID, rest[i].PublishedAt, rest[i-1].ID, rest[i-1].PublishedAt)
			}
		}
		if got := ids(p2.Items); slices.ContainsFunc(ids(p1.Items), func(id string) bool { return slices.Contains(got, id) }) {
			t.Errorf("an item on both pages: %v and %v", ids(p1.Items), got)
		}
		if _, err := svc.List(ctx, "poems", "", 1, 0); !domain.IsCode(err, domain.Invalid) {
			t.Errorf("unknown category: got %v; want Invalid", err)
		}
	})
}

func TestSearchByChineseKeyword(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := open(t, db, embedded(t))
		tests := []struct {
			category announcement.Category
			q        string
			want     []string // must be among the hits
			not      []string
		}{
			{"", "失业保险金", []string{"unemployment-benefit-guide", "unemployment-regulation"}, []string{"pension-certification-guide"}},
			{"", "刷脸 认证", []string{"pension-certification-guide"}, []string{"unemployment-benefit-guide"}},
			{announcement.Law, "工伤", []string{"work-injury-regulation"}, []string{"work-injury-application"}},
			{"", "灵活就业人员参保缴费指南", []string{"flexible-employment-guide"}, nil}, // a title
			{"", "0%的", []string{"2026-contribution-base"}, nil},             // "按60%确定"
			{"", "6%", nil, []string{"2026-contribution-base"}},              // % is a character, not a wildcard
			{"", "_", nil, []string{"2026-contribution-base"}},
		}
		for _, tt := range tests {
			l, err := svc.List(ctx, tt.category, tt.q, 1, 20)
			if err != nil {
				t.Fatalf("%q: %v", tt.q, err)
			}
			got := ids(l.Items)
			for _, id := range tt.want {
				if !slices.Contains(got, id) {
					t.Errorf("search %q in %q: got %v; want %s among them", tt.q, tt.category, got, id)
				}
			}
			for _, id := range tt.not {
				if slices.Contains(got, id) {
					t.Errorf("search %q in %q: got %v; want no %s", tt.q, tt.category, got, id)
				}
			}
		}
	})
}

func TestAdminEditsSurviveTheNextSeed(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed := embedded(t)
		svc := open(t, db, seed)
		rev0, _ := svc.Revision(ctx)

		a, err := svc.Admin(ctx, "2026-contribution-base")
		if err != nil {
			t.Fatal(err)
		}
		d := announcement.Draft{Category: a.Category, Title: a.Title + "（更正）", Body: a.Body, Source: a.Source, PublishedAt: a.PublishedAt, Pinned: true}
		edited, err := svc.Update(ctx, a.ID, d, a.Version)
		if err != nil {
			t.Fatalf("Update: %v", err)
		}
		if edited.Version != a.Version+1 {
			t.Errorf("version after Update: got %d; want %d", edited.Version, a.Version+1)
		}
		if _, err := svc.Update(ctx, a.ID, d, a.Version); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("Update at a stale version: got %v; want Conflict", err)
		}
		if _, err := svc.Update(ctx, "no-such", d, 1); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("Update of an unknown id: got %v; want NotFound", err)
		}
		hidden, _ := svc.Admin(ctx, "personal-pension")
		if _, err := svc.SetPublished(ctx, hidden.ID, false, hidden.Version); err != nil {
			t.Fatalf("unpublish: %v", err)
		}
		if _, err := svc.Get(ctx, "personal-pension"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("Get of an unpublished announcement: got %v; want NotFound", err)
		}
		if rev, _ := svc.Revision(ctx); rev <= rev0 {
			t.Errorf("revision after edits: got %d; want past %d", rev, rev0)
		}

		// The next release's seed adds one item and carries the originals.
		seed.Version++
		seed.Items = append(seed.Items, announcement.SeedItem{ID: "new-item", Category: announcement.Procedure,
			Title: "新增公告", Body: []string{"正文"}, Source: "丹东市社会保险事业服务中心", PublishedAt: "2026-11-01"})
		svc = open(t, db, seed)
		if got, _ := svc.Get(ctx, "2026-contribution-base"); got.Title != edited.Title {
			t.Errorf("edited title after the next seed: got %q; want %q", got.Title, edited.Title)
		}
		if _, err := svc.Get(ctx, "personal-pension"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("unpublished item after the next seed: got %v; want it still hidden", err)
		}
		if _, err := svc.Get(ctx, "new-item"); err != nil {
			t.Errorf("new seed item: %v", err)
		}
	})
}

func TestCreateAndRepublish(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := open(t, db, announcement.SeedFile{Version: 1})
		created, err := svc.Create(ctx, announcement.Draft{Category: announcement.SpecialGroups, Title: " 残疾人参保补贴说明 ",
			Body: "第一段\n\n第二段", EffectiveFrom: time.Date(2026, 1, 1, 0, 0, 0, 0, domain.Beijing)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.Get(ctx, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "残疾人参保补贴说明" || len(got.Paragraphs()) != 2 || !got.EffectiveFrom.Equal(created.EffectiveFrom) ||
			!got.EffectiveUntil.IsZero() || got.Version != 1 || !got.PublishedAt.Equal(time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)) {
			t.Errorf("created: got %+v", got)
		}
		off, _ := svc.SetPublished(ctx, got.ID, false, got.Version)
		if _, err := svc.SetPublished(ctx, got.ID, true, off.Version); err != nil {
			t.Fatal(err)
		}
		if l, _ := svc.List(ctx, announcement.SpecialGroups, "残疾人", 1, 0); l.Total != 1 {
			t.Errorf("republished: got %d hits; want 1", l.Total)
		}
		if _, err := svc.Create(ctx, announcement.Draft{Category: "x"}); !domain.IsCode(err, domain.Invalid) {
			t.Errorf("empty draft: got %v; want Invalid", err)
		}
	})
}
