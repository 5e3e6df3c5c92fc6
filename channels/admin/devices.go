package admin

import (
	"context"

	"github.com/dandong-hrss/hrss/domain/device"
)

// deviceItem is a registered kiosk. Its secret is never in it: it is shown
// once, when the kiosk is registered.
type deviceItem struct {
	ID           string `json:"id" doc:"设备编号"`
	Hall         string `json:"hall" doc:"所在服务大厅"`
	Location     string `json:"location" doc:"大厅内位置"`
	Status       string `json:"status" enum:"active,disabled"`
	StatusName   string `json:"statusName" doc:"启用或停用"`
	RegisteredAt string `json:"registeredAt"`
	UpdatedAt    string `json:"updatedAt"`
}

func deviceItemOf(d device.Device) deviceItem {
	return deviceItem{ID: d.ID, Hall: d.Hall, Location: d.Location, Status: string(d.Status),
		StatusName: d.Status.Label(), RegisteredAt: stamp(d.RegisteredAt), UpdatedAt: stamp(d.UpdatedAt)}
}

type listDevicesOutput struct {
	Body struct {
		Items []deviceItem `json:"items"`
	}
}

func (a *Admin) listDevices(ctx context.Context, _ *struct{}) (*listDevicesOutput, error) {
	devices, err := a.devices.List(ctx)
	if err != nil {
		return nil, err
	}
	out := &listDevicesOutput{}
	out.Body.Items = make([]deviceItem, 0, len(devices))
	for _, d := range devices {
		out.Body.Items = append(out.Body.Items, deviceItemOf(d))
	}
	return out, nil
}

type registerDeviceInput struct {
	Body struct {
		ID       string `json:"id" doc:"设备编号，如 kiosk-yb-003"`
		Hall     string `json:"hall" doc:"所在服务大厅"`
		Location string `json:"location" doc:"大厅内位置"`
		Secret   string `json:"secret,omitempty" writeOnly:"true" doc:"设备密钥，32至128位；不填由系统生成（推荐）"`
	}
}

// msgSecretOnce is said beside a new device's secret.
const msgSecretOnce = "设备密钥只显示这一次，请立即配置到该终端；系统不再显示，遗失须停用该终端并以新编号重新登记"

type registerDeviceOutput struct {
	Body struct {
		Device deviceItem `json:"device"`
		Secret string     `json:"secret" doc:"设备签名密钥，仅此一次返回"`
		Notice string     `json:"notice"`
	}
}

// registerDevice registers a kiosk and answers its secret, this once.
func (a *Admin) registerDevice(ctx context.Context, in *registerDeviceInput) (*registerDeviceOutput, error) {
	d, secret, err := a.devices.Register(ctx, device.Registration{ID: in.Body.ID, Hall: in.Body.Hall,
		Location: in.Body.Location, Secret: in.Body.Secret})
	if err := a.change(ctx, "device.register", err, map[string]string{"device": in.Body.ID}); err != nil {
		return nil, err
	}
	out := &registerDeviceOutput{}
	out.Body.Device, out.Body.Secret, out.Body.Notice = deviceItemOf(d), secret, msgSecretOnce
	return out, nil
}

type deviceIDInput struct {
	ID string `path:"id" maxLength:"32" doc:"设备编号"`
}

type deviceOutput struct {
	Body deviceItem
}

// setDeviceStatus returns the handler that disables (停用) or enables (启用)
// a kiosk. Both are harmless to repeat, which is what to do when the
// answer is 503 (stored but not yet announced to every server).
func (a *Admin) setDeviceStatus(disable bool) func(context.Context, *deviceIDInput) (*deviceOutput, error) {
	action, apply := "device.enable", a.devices.Enable
	if disable {
		action, apply = "device.disable", a.devices.Disable
	}
	return func(ctx context.Context, in *deviceIDInput) (*deviceOutput, error) {
		d, err := apply(ctx, in.ID)
		if err := a.change(ctx, action, err, map[string]string{"device": owned(in.ID)}); err != nil {
			return nil, err
		}
		return &deviceOutput{Body: deviceItemOf(d)}, nil
	}
}
