package device

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
)

// DemoSecret is the signing secret of the demo devices, published here so
// that a newcomer's kiosk UI, the load test and hand-made requests can sign
// without setting anything up. It is public knowledge: SeedDemo is for the
// embedded default only, never for a database that real kiosks use.
const DemoSecret = "dandong-kiosk-demo-secret-not-for-production"

// DemoDevices are one kiosk in each of Dandong's main service halls.
var DemoDevices = []Registration{
	{ID: "kiosk-yb-001", Hall: "元宝区社保服务大厅", Location: "一楼大厅东侧1号机", Secret: DemoSecret},
	{ID: "kiosk-yb-002", Hall: "元宝区社保服务大厅", Location: "一楼大厅东侧2号机", Secret: DemoSecret},
	{ID: "kiosk-zx-001", Hall: "振兴区社保服务大厅", Location: "一楼自助服务区1号机", Secret: DemoSecret},
	{ID: "kiosk-za-001", Hall: "振安区社保服务大厅", Location: "一楼自助服务区1号机", Secret: DemoSecret},
	{ID: "kiosk-dg-001", Hall: "东港市社保服务大厅", Location: "二楼自助服务区1号机", Secret: DemoSecret},
}

// SeedDemo registers those DemoDevices that are not registered yet and
// returns how many it added. A demo device an administrator has disabled
// stays disabled.
func (s *Service) SeedDemo(ctx context.Context) (int, error) {
	added := 0
	for _, r := range DemoDevices {
		_, _, err := s.Register(ctx, r)
		switch {
		case err == nil:
			added++
		case !domain.IsCode(err, domain.Conflict):
			return added, err
		}
	}
	return added, nil
}
