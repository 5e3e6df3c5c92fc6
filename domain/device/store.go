package device

import (
	"context"
	"time"
)

// Store keeps the registry durable. integrations/store/devicedb implements it
// on MySQL and SQLite. Every method may also return Unavailable when the
// database fails.
type Store interface {
	// Create adds a device. Conflict when the id is taken.
	Create(ctx context.Context, r Record) error
	// Get returns one device. NotFound when there is none with this id.
	Get(ctx context.Context, id string) (Record, error)
	// List returns every device, by id.
	List(ctx context.Context) ([]Record, error)
	// SetStatus changes a device's status and update time. NotFound when
	// there is none with this id.
	SetStatus(ctx context.Context, id string, s Status, at time.Time) error
}

// StatusBoard announces a status change to every instance at once, so that
// a device disabled on one instance is refused by all of them on its next
// request, not when their caches expire. channels/kiosk implements it in
// Redis, where its signature check reads it.
type StatusBoard interface {
	// Publish records the device's current status. Unavailable when the
	// board cannot be written; the caller may retry.
	Publish(ctx context.Context, id string, s Status) error
}
