// Package devicedb keeps the registry of self-service kiosks (自助查询一体机)
// in the device table of MySQL or SQLite. It implements device.Store. The
// signing secret arrives sealed from the domain and is stored as it comes;
// times are stored in UTC to the millisecond.
package devicedb

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the device registry on MySQL or SQLite. It is safe for
// concurrent use.
type Store struct {
	db *store.DB
}

var _ device.Store = (*Store)(nil)

// New returns the registry on db, whose schema has been migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

const columns = "id, hall, location, secret_sealed, status, registered_at, updated_at"

// row is one device as the table holds it.
type row struct {
	ID           string    `db:"id"`
	Hall         string    `db:"hall"`
	Location     string    `db:"location"`
	SecretSealed string    `db:"secret_sealed"`
	Status       string    `db:"status"`
	RegisteredAt time.Time `db:"registered_at"`
	UpdatedAt    time.Time `db:"updated_at"`
}

func (r row) record() device.Record {
	return device.Record{SealedSecret: r.SecretSealed, Device: device.Device{
		ID: r.ID, Hall: r.Hall, Location: r.Location, Status: device.Status(r.Status),
		RegisteredAt: r.RegisteredAt.In(domain.Beijing), UpdatedAt: r.UpdatedAt.In(domain.Beijing)}}
}

// Create adds a device. Errors: Conflict when the id is taken; Unavailable.
func (s *Store) Create(ctx context.Context, r device.Record) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO device ("+columns+") VALUES (?,?,?,?,?,?,?)",
		r.ID, r.Hall, r.Location, r.SealedSecret, string(r.Status), ts(r.RegisteredAt), ts(r.UpdatedAt))
	if store.IsDuplicate(err) {
		return store.Translate(err, "设备")
	}
	return unavailable(err)
}

// Get returns one device. Errors: NotFound; Unavailable.
func (s *Store) Get(ctx context.Context, id string) (device.Record, error) {
	var r row
	err := s.db.GetContext(ctx, &r, "SELECT "+columns+" FROM device WHERE id = ?", id)
	if err != nil {
		if t := store.Translate(err, "设备"); domain.IsCode(t, domain.NotFound) {
			return device.Record{}, t
		}
		return device.Record{}, unavailable(err)
	}
	return r.record(), nil
}

// List returns every device by id. Errors: Unavailable.
func (s *Store) List(ctx context.Context) ([]device.Record, error) {
	var rows []row
	if err := s.db.SelectContext(ctx, &rows, "SELECT "+columns+" FROM device ORDER BY id"); err != nil {
		return nil, unavailable(err)
	}
	out := make([]device.Record, len(rows))
	for i, r := range rows {
		out[i] = r.record()
	}
	return out, nil
}

// SetStatus changes a device's status. Errors: NotFound; Unavailable.
func (s *Store) SetStatus(ctx context.Context, id string, st device.Status, at time.Time) error {
	res, err := s.db.ExecContext(ctx, "UPDATE device SET status = ?, updated_at = ? WHERE id = ?", string(st), ts(at), id)
	if err != nil {
		return unavailable(err)
	}
	// Count matched rows, not changed ones: MySQL reports 0 for a row
	// already in the state, so probe for existence instead.
	if n, err := res.RowsAffected(); err == nil && n > 0 {
		return nil
	}
	_, err = s.Get(ctx, id)
	return err
}

// ts is a time as stored: UTC to the millisecond.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func unavailable(err error) error {
	if err == nil {
		return nil
	}
	return domain.Wrap(err, domain.Unavailable, "设备登记信息暂时无法读写，请稍后再试")
}
