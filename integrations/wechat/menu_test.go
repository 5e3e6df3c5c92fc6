package wechat_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/wechat"
	"github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

func mustLoadMenu(tb testing.TB) wechat.Menu {
	tb.Helper()
	m, err := wechat.LoadMenu("testdata/menu.json")
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestMenuIsSetAndReadBack(t *testing.T) {
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	ctx := context.Background()
	if _, err := p.client.CurrentMenu(ctx); !domain.IsCode(err, domain.NotFound) {
		t.Fatalf("CurrentMenu before any was set: err = %v; want NotFound", err)
	}
	want := mustLoadMenu(t)
	if err := p.client.SetMenu(ctx, want); err != nil {
		t.Fatal(err)
	}
	raw, err := sim.FetchMenu(ctx, p.url)
	if err != nil {
		t.Fatal(err)
	}
	var recorded wechat.Menu
	if err := json.Unmarshal(raw, &recorded); err != nil || !reflect.DeepEqual(recorded, want) {
		t.Errorf("platform holds %s; want the menu file's buttons", raw)
	}
	file, _ := os.ReadFile("testdata/menu.json")
	if !strings.Contains(string(raw), `"name":"缴费机构地址"`) || len(raw) >= len(file) {
		t.Errorf("platform holds %s; want the compact menu JSON with the Chinese names unescaped", raw)
	}
	got, err := p.client.CurrentMenu(ctx)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("CurrentMenu = %+v, %v; want %+v", got, err, want)
	}
	if err := p.client.DeleteMenu(ctx); err != nil {
		t.Fatal(err)
	}
	if raw, _ := sim.FetchMenu(ctx, p.url); raw != nil {
		t.Errorf("menu after delete = %s; want none", raw)
	}
}

func TestMenuRulesAreCheckedBeforeSending(t *testing.T) {
	view := func(name string) wechat.Button {
		return wechat.Button{Type: wechat.ButtonView, Name: name, URL: "https://hrss.dandong.gov.cn/wx/"}
	}
	tests := []struct {
		name  string
		menu  wechat.Menu
		field string
	}{
		{"no buttons", wechat.Menu{}, "button"},
		{"four buttons", wechat.Menu{Buttons: []wechat.Button{view("一"), view("二"), view("三"), view("四")}}, "button"},
		{"six sub-buttons", wechat.Menu{Buttons: []wechat.Button{{Name: "办事", SubButtons: []wechat.Button{
			view("1"), view("2"), view("3"), view("4"), view("5"), view("6")}}}}, "button[0].sub_button"},
		{"top name too long", wechat.Menu{Buttons: []wechat.Button{view("社会保险业务办理")}}, "button[0].name"},
		{"click without key", wechat.Menu{Buttons: []wechat.Button{{Type: wechat.ButtonClick, Name: "联系"}}}, "button[0].key"},
		{"view without URL", wechat.Menu{Buttons: []wechat.Button{{Type: wechat.ButtonView, Name: "查询"}}}, "button[0].url"},
		{"unknown type", wechat.Menu{Buttons: []wechat.Button{{Name: "办事", SubButtons: []wechat.Button{
			{Type: "scancode_push", Name: "扫一扫", Key: "SCAN"}}}}}, "button[0].sub_button[0].type"},
	}
	p := startPlatform(t, sim.Config{Seed: 1}, quick)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := p.client.SetMenu(context.Background(), tt.menu)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.Invalid || !hasField(de, tt.field) {
				t.Errorf("SetMenu err = %v; want Invalid naming %s", err, tt.field)
			}
		})
	}
	if p.sim.Menu() != nil || p.sim.Injector().Requests() != 0 {
		t.Errorf("platform got %d requests and holds menu %s; want nothing sent", p.sim.Injector().Requests(), p.sim.Menu())
	}
	if _, err := wechat.ParseMenu([]byte(`{"button":[`)); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("ParseMenu(broken JSON) err = %v; want Invalid", err)
	}
}

func hasField(e *domain.Error, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
