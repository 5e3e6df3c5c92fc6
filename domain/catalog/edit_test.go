package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

func TestUpsertBumpsVersionAndServesTheChange(t *testing.T) {
	svc, _ := open(t, embedded(t))
	before := svc.ETag()
	m, _ := svc.Matter("pension.certification")
	m.Description = "每年认证一次，可在手机上刷脸认证。"
	got, err := svc.Upsert(context.Background(), m)
	if err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	if got.Version != m.Version+1 {
		t.Errorf("got version %d; want %d", got.Version, m.Version+1)
	}
	now, _ := svc.Matter("pension.certification")
	if now.Description != m.Description || now.Version != got.Version {
		t.Errorf("served: got %q v%d; want the change at v%d", now.Description, now.Version, got.Version)
	}
	if svc.ETag() == before {
		t.Error("ETag unchanged after a change; caches would keep the old catalog")
	}
	// A second change based on the old version lost the race.
	m.Description = "另一位管理员的修改"
	if _, err := svc.Upsert(context.Background(), m); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("stale version: got %v; want Conflict", err)
	}
}

func TestUpsertNewMatter(t *testing.T) {
	svc, _ := open(t, embedded(t))
	m := catalog.Matter{
		Code: "card.password_reset", Name: "社会保障卡密码重置", Applicant: catalog.Person,
		Channels: []domain.Channel{domain.Kiosk, domain.Counter},
		Fields:   []catalog.Field{{Key: "idNumber", Label: "身份证号码", Type: catalog.IDNumber, Required: true}},
		Limits:   catalog.Limits{Instant: true}, Prerequisites: []string{"card.apply"},
	}
	got, err := svc.Upsert(context.Background(), m)
	if err != nil || got.Version != 1 {
		t.Fatalf("got v%d, %v; want version 1", got.Version, err)
	}
	if _, err := svc.Upsert(context.Background(), m); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("same code again as new: got %v; want Conflict", err)
	}
	if len(svc.List(catalog.Filter{Keyword: "密码重置"})) != 1 {
		t.Error("new matter not listed")
	}
}

// A bad definition is refused with every problem named, and nothing changes.
func TestUpsertRejectsBadDefinitions(t *testing.T) {
	svc, _ := open(t, embedded(t))
	base, _ := svc.Matter("pension.remote_residence")
	tests := []struct {
		name   string
		change func(m *catalog.Matter)
		path   string
		want   string // part of the message
	}{
		{"duplicate field key", func(m *catalog.Matter) { m.Fields = append(m.Fields, m.Fields[0]) }, "fields[6].key", "重复"},
		{"unknown prerequisite", func(m *catalog.Matter) { m.Prerequisites = []string{"pension.nothing"} }, "matters[pension.remote_residence].prerequisites[0]", "不存在"},
		{"circle of prerequisites", func(m *catalog.Matter) { m.Prerequisites = []string{"pension.certification"} }, "", ""},
		{"promised longer than statutory", func(m *catalog.Matter) { m.Limits = catalog.Limits{PromisedDays: 9, StatutoryDays: 5} }, "limits.promisedDays", "法定时限"},
		{"high-frequency not twice as fast", func(m *catalog.Matter) { m.Limits = catalog.Limits{PromisedDays: 4, StatutoryDays: 5} }, "limits.promisedDays", "一半"},
		{"instant with days", func(m *catalog.Matter) { m.Limits = catalog.Limits{Instant: true, PromisedDays: 1, StatutoryDays: 5} }, "limits.promisedDays", "即办"},
		{"bad code", func(m *catalog.Matter) { m.Code = "Pension-Remote" }, "code", "pension.certification"},
		{"no counter", func(m *catalog.Matter) { m.Channels = []domain.Channel{domain.App} }, "channels", "一窗受理"},
		{"select without options", func(m *catalog.Matter) { m.Fields[0].Type = catalog.Select }, "fields[0].options", "至少需要一个选项"},
		{"pattern that does not compile", func(m *catalog.Matter) { m.Fields[0].Pattern = "([" }, "fields[0].pattern", "无法解析"},
		{"example that breaks its own rule", func(m *catalog.Matter) {
			m.Fields[0].Pattern, m.Fields[0].Example = "^[0-9]+$", "abc"
		}, "fields[0].example", "示例不符合"},
		{"unknown material format", func(m *catalog.Matter) { m.Materials[0].Formats = []string{"docx"} }, "materials[0].formats[0]", "docx"},
		{"situation removing a field that is not there", func(m *catalog.Matter) {
			m.Situations = []catalog.Situation{{Code: "x", Name: "情形", RemoveFields: []string{"nope"}}}
		}, "situations[0].removeFields[0]", "nope"},
		{"situation adding a field the form has", func(m *catalog.Matter) {
			m.Situations = []catalog.Situation{{Code: "x", Name: "情形", AddFields: m.Fields[:1]}}
		}, "situations[0].addFields[0].key", "重复"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := base.Clone()
			tt.change(&m)
			if tt.name == "circle of prerequisites" {
				cert, _ := svc.Matter("pension.certification")
				cert.Prerequisites = []string{"pension.remote_residence"}
				if _, err := svc.Upsert(context.Background(), cert); err != nil {
					t.Fatalf("first half of the circle: %v", err)
				}
				tt.path, tt.want = "matters[pension.certification].prerequisites", "循环"
			}
			_, err := svc.Upsert(context.Background(), m)
			got := fieldErrors(t, err)
			if !strings.Contains(got[tt.path], tt.want) {
				t.Errorf("got %v; want %s: …%s…", got, tt.path, tt.want)
			}
			if now, _ := svc.Matter(base.Code); now.Version != base.Version {
				t.Errorf("refused change was stored: version %d; want %d", now.Version, base.Version)
			}
		})
	}
}

// A change that would break a bundle's one form is refused.
func TestUpsertKeepsBundlesMergeable(t *testing.T) {
	svc, _ := open(t, embedded(t))
	m, _ := svc.Matter("pension.benefit_termination")
	for i := range m.Fields {
		if m.Fields[i].Key == "deathDate" {
			m.Fields[i].Type = catalog.Text
		}
	}
	got := fieldErrors(t, func() error { _, err := svc.Upsert(context.Background(), m); return err }())
	if !strings.Contains(got["bundles[bundle.retiree_death].matters"], "deathDate") {
		t.Errorf("got %v; want the retiree-death bundle's merge problem", got)
	}
}

// What a caller gets is a copy: changing it changes nothing served.
func TestReadsAreCopies(t *testing.T) {
	svc, _ := open(t, embedded(t))
	m, _ := svc.Matter("card.apply")
	m.Fields[0].Label = "改了"
	m.Materials[0].Formats[0] = "exe"
	*m.Fields[0].Max = 1
	again, _ := svc.Matter("card.apply")
	if again.Fields[0].Label == "改了" || again.Materials[0].Formats[0] == "exe" || *again.Fields[0].Max == 1 {
		t.Error("a caller's change reached the served catalog")
	}
}

// Another instance's change reaches this one on Refresh.
func TestRefreshPicksUpOtherInstancesChanges(t *testing.T) {
	f := embedded(t)
	a, st := open(t, f)
	b, err := catalog.Open(context.Background(), catalog.Config{Store: st, Schemas: &schemas{}, File: f})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := a.Matter("card.loss_report")
	m.Name = "社会保障卡临时挂失"
	if _, err := a.Upsert(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Matter("card.loss_report"); got.Name == m.Name {
		t.Fatal("b saw the change before refreshing; the test proves nothing")
	}
	if err := b.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Matter("card.loss_report"); got.Name != m.Name {
		t.Errorf("after Refresh: got %q; want %q", got.Name, m.Name)
	}
	if a.ETag() != b.ETag() {
		t.Errorf("ETags differ for the same content: %s and %s", a.ETag(), b.ETag())
	}
	// b edits on a stale copy while a changed the matter again: refused,
	// not lost, and b now serves a's latest.
	stale, _ := b.Matter("card.loss_report")
	m, _ = a.Matter("card.loss_report")
	m.Name = "社会保障卡挂失（临时）"
	if _, err := a.Upsert(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	stale.Description = "基于旧版本的修改"
	if _, err := b.Upsert(context.Background(), stale); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("b's change based on the old version: got %v; want Conflict", err)
	}
	if got, _ := b.Matter("card.loss_report"); got.Name != m.Name {
		t.Errorf("after the refused write: got %q; want %q", got.Name, m.Name)
	}
}
