// Package device keeps the registry of the self-service kiosks (自助查询一体机)
// in the bureau's service halls: which kiosks exist, where they stand, the
// secret each signs its requests with, and whether it may be used.
//
// The secret is stored sealed (privacy.Sealer), not hashed: the BFF must read
// it back to check each request's HMAC. Checking a signature happens on every
// kiosk request, so Service.Credentials keeps each device in memory for a
// short while; disabling a device must still take effect at once on every
// instance, so Service announces every status change on a StatusBoard that
// the signature check reads with each request (channels/kiosk keeps it in
// Redis beside the request nonces).
package device

import "time"

// Device is one registered kiosk.
type Device struct {
	ID           string // kiosk-yb-001: lower-case letters, digits and '-'
	Hall         string // the service hall it stands in (服务大厅), 元宝区社保服务大厅
	Location     string // where in the hall, 一楼东侧2号机
	Status       Status
	RegisteredAt time.Time
	UpdatedAt    time.Time
}

// Status says whether a device may be used.
type Status string

// The device states. A disabled device (停用) is refused on its next request
// on every instance: a kiosk that was stolen, tampered with or whose secret
// leaked.
const (
	Active   Status = "active"
	Disabled Status = "disabled"
)

// Label returns the Chinese term shown to administrators.
func (s Status) Label() string {
	if s == Disabled {
		return "停用"
	}
	return "启用"
}

// Record is a device as stored: the secret sealed.
type Record struct {
	Device
	SealedSecret string
}

// Credentials are what checking a device's signature needs: the device and
// its secret in the clear. They never leave the process.
type Credentials struct {
	Device
	Secret []byte
}
