package devicedb_test

import (
	"context"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/devicedb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var at = time.Date(2026, 11, 29, 9, 30, 15, 123_456_789, domain.Beijing)

func rec(id string) device.Record {
	return device.Record{SealedSecret: "k1:c2VhbGVk", Device: device.Device{
		ID: id, Hall: "元宝区社保服务大厅", Location: "一楼大厅东侧1号机", Status: device.Active, RegisteredAt: at, UpdatedAt: at}}
}

func TestStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := devicedb.New(db)
		ctx := context.Background()
		for _, id := range []string{"kiosk-zx-001", "kiosk-yb-001"} {
			if err := s.Create(ctx, rec(id)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Create(ctx, rec("kiosk-yb-001")); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("duplicate: got %v; want Conflict", err)
		}
		got, err := s.Get(ctx, "kiosk-yb-001")
		want := rec("kiosk-yb-001")
		if err != nil || got.Hall != want.Hall || got.Location != want.Location || got.SealedSecret != want.SealedSecret ||
			got.Status != device.Active || !got.RegisteredAt.Equal(at.Truncate(time.Millisecond)) {
			t.Errorf("Get: got %+v, %v; want %+v to the millisecond", got, err, want)
		}
		if _, err := s.Get(ctx, "kiosk-xx-404"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("Get unknown: got %v; want NotFound", err)
		}
		later := at.Add(time.Hour)
		for range 2 { // the second time changes no row, and is still no error
			if err := s.SetStatus(ctx, "kiosk-yb-001", device.Disabled, later); err != nil {
				t.Fatalf("SetStatus: %v", err)
			}
		}
		if got, _ := s.Get(ctx, "kiosk-yb-001"); got.Status != device.Disabled || !got.UpdatedAt.Equal(later.Truncate(time.Millisecond)) {
			t.Errorf("after SetStatus: got %s at %v; want disabled at %v", got.Status, got.UpdatedAt, later)
		}
		if err := s.SetStatus(ctx, "kiosk-xx-404", device.Disabled, later); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("SetStatus unknown: got %v; want NotFound", err)
		}
		all, err := s.List(ctx)
		if err != nil || len(all) != 2 || all[0].ID != "kiosk-yb-001" || all[1].ID != "kiosk-zx-001" {
			t.Errorf("List: got %+v, %v; want both by id", all, err)
		}
	})
}
