package bff

import (
	"context"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/integrations/store/devicedb"
)

// openChannels builds the channels' own services and registers every
// channel's routes on the API. Reads of the business core go through one
// shared insured.Core.
func (m *Main) openChannels(ctx context.Context) error {
	core := m.Core
	board := kiosk.NewStatusBoard(m.Redis, m.Config.RedisPrefix)
	m.Devices = device.NewService(device.Config{Store: devicedb.New(m.DB), Sealer: m.Sealer, Board: board})
	if m.Config.Embedded() {
		// Demo kiosks with a published secret: never in production.
		if _, err := m.Devices.SeedDemo(ctx); err != nil {
			return err
		}
	}
	m.kiosk = kiosk.New(kiosk.Deps{Core: core, Devices: m.Devices, Redis: m.Redis, Prefix: m.Config.RedisPrefix,
		Sealer: m.Sealer, Audit: m.Audit, Documents: m.Documents, Certification: m.Certification,
		Declarations: m.Declarations, Progress: m.Progress, Ratings: m.Ratings, Announcements: m.Announcements,
		Catalog: m.Catalog})
	return nil
}
