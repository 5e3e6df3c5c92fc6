package device

import (
	"context"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Config wires a Service.
type Config struct {
	Store  Store          // required
	Sealer privacy.Sealer // required: seals secrets at rest
	Board  StatusBoard    // required: carries status changes to every instance at once
	// CacheFor is how long Credentials keeps a device in memory; default
	// 30s. Status changes do not wait for it (see StatusBoard); a newly
	// registered device is found at once, since misses are kept only
	// briefly.
	CacheFor time.Duration
	Now      func() time.Time // default time.Now
}

// Service is the device registry: the administrators' register, disable
// and enable, and the look-up every signed kiosk request makes. It is safe
// for concurrent use.
type Service struct {
	store    Store
	sealer   privacy.Sealer
	board    StatusBoard
	now      func() time.Time
	cacheFor time.Duration
	cache    credentialCache
}

// NewService returns the registry. It panics when Store, Sealer or Board is
// missing: a wiring defect.
func NewService(cfg Config) *Service {
	if cfg.Store == nil || cfg.Sealer == nil || cfg.Board == nil {
		panic("device: NewService needs a Store, a Sealer and a StatusBoard")
	}
	if cfg.CacheFor <= 0 {
		cfg.CacheFor = 30 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{store: cfg.Store, sealer: cfg.Sealer, board: cfg.Board, now: cfg.Now, cacheFor: cfg.CacheFor,
		cache: credentialCache{entries: map[string]cacheEntry{}}}
}

// msgNoDevice is what an administrator sees for an unknown id.
const msgNoDevice = "未找到该自助终端，请核对设备编号"

// Register adds an active device and returns it with its secret, which is
// shown this once: the one given, or a generated one when r.Secret is empty.
// Errors: Invalid naming each field at fault; Conflict when the id is taken.
func (s *Service) Register(ctx context.Context, r Registration) (Device, string, error) {
	r, err := r.normalize()
	if err != nil {
		return Device{}, "", err
	}
	if r.Secret == "" {
		r.Secret = newSecret()
	}
	sealed, err := s.sealer.Seal(r.Secret)
	if err != nil {
		return Device{}, "", err
	}
	now := s.now()
	d := Device{ID: r.ID, Hall: r.Hall, Location: r.Location, Status: Active, RegisteredAt: now, UpdatedAt: now}
	if err := s.store.Create(ctx, Record{Device: d, SealedSecret: sealed}); err != nil {
		if domain.IsCode(err, domain.Conflict) {
			return Device{}, "", &domain.Error{Code: domain.Conflict, Message: "该设备编号已登记，请换一个编号",
				Fields: []domain.FieldError{{Field: "id", Message: "设备编号已被使用"}}, Err: err}
		}
		return Device{}, "", err
	}
	s.cache.forget(d.ID) // a miss cached a moment ago must not hide the new device
	return d, r.Secret, nil
}

// Get returns one device. Errors: NotFound.
func (s *Service) Get(ctx context.Context, id string) (Device, error) {
	if !ValidID(id) {
		return Device{}, domain.Errorf(domain.NotFound, msgNoDevice)
	}
	rec, err := s.store.Get(ctx, id)
	if err != nil {
		return Device{}, notFound(err)
	}
	return rec.Device, nil
}

// List returns every device, by id.
func (s *Service) List(ctx context.Context) ([]Device, error) {
	recs, err := s.store.List(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Device, len(recs))
	for i, r := range recs {
		out[i] = r.Device
	}
	return out, nil
}

// Disable stops the device (停用): every instance refuses its next request.
// Disabling a disabled device changes nothing, so a retry is harmless.
// Errors: NotFound; Unavailable when the change is stored but could not be
// announced at once, in which case the caller should repeat it.
func (s *Service) Disable(ctx context.Context, id string) (Device, error) {
	return s.setStatus(ctx, id, Disabled)
}

// Enable puts a disabled device back in service (启用). Errors as Disable.
func (s *Service) Enable(ctx context.Context, id string) (Device, error) {
	return s.setStatus(ctx, id, Active)
}

// setStatus stores the status first and announces it second: the database
// is the truth that outlives Redis, and a failed announcement is repaired by
// repeating the call.
func (s *Service) setStatus(ctx context.Context, id string, st Status) (Device, error) {
	if !ValidID(id) {
		return Device{}, domain.Errorf(domain.NotFound, msgNoDevice)
	}
	if err := s.store.SetStatus(ctx, id, st, s.now()); err != nil {
		return Device{}, notFound(err)
	}
	s.cache.forget(id)
	if err := s.board.Publish(ctx, id, st); err != nil {
		return Device{}, domain.Wrap(err, domain.Unavailable,
			"设备已"+st.Label()+"，但未能立即通知所有服务器，请再操作一次")
	}
	return s.Get(ctx, id)
}

// Credentials returns the device with its secret, for checking a
// signature. The answer may be up to CacheFor old; callers learn of status
// changes sooner from the StatusBoard. The returned Secret is shared: do
// not modify it. Errors: NotFound for an unknown or malformed id; Internal
// when the stored secret cannot be opened.
func (s *Service) Credentials(ctx context.Context, id string) (Credentials, error) {
	if !ValidID(id) {
		return Credentials{}, domain.Errorf(domain.NotFound, msgNoDevice)
	}
	now := s.now()
	if e, ok := s.cache.get(id, now); ok {
		return e.cred, e.err
	}
	rec, err := s.store.Get(ctx, id)
	if domain.IsCode(err, domain.NotFound) {
		err = notFound(err)
		s.cache.put(id, cacheEntry{err: err, until: now.Add(min(missCacheFor, s.cacheFor))}, now)
		return Credentials{}, err
	}
	if err != nil {
		return Credentials{}, err
	}
	secret, err := s.sealer.Open(rec.SealedSecret)
	if err != nil {
		return Credentials{}, err
	}
	cred := Credentials{Device: rec.Device, Secret: []byte(secret)}
	s.cache.put(id, cacheEntry{cred: cred, until: now.Add(s.cacheFor)}, now)
	return cred, nil
}

// notFound gives a store's NotFound the administrator's words.
func notFound(err error) error {
	if domain.IsCode(err, domain.NotFound) {
		return domain.Wrap(err, domain.NotFound, msgNoDevice)
	}
	return err
}

// missCacheFor is how long an unknown id is remembered: long enough that a
// stream of requests from an unregistered kiosk does not reach the database
// each time, short enough that registering it takes effect at once for
// practical purposes (Register also forgets it on this instance).
const missCacheFor = 5 * time.Second

// maxCached bounds the cache, so requests naming made-up ids cannot grow it
// without limit; the bureau has a few hundred kiosks.
const maxCached = 4096

type cacheEntry struct {
	cred  Credentials
	err   error
	until time.Time
}

// credentialCache keeps recent look-ups in memory.
type credentialCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

func (c *credentialCache) get(id string, now time.Time) (cacheEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok || !now.Before(e.until) {
		return cacheEntry{}, false
	}
	return e, true
}

// put stores e, first sweeping expired entries when the cache is full; if
// it is still full, e is not kept.
func (c *credentialCache) put(id string, e cacheEntry, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxCached {
		for k, old := range c.entries {
			if !now.Before(old.until) {
				delete(c.entries, k)
			}
		}
		if len(c.entries) >= maxCached {
			return
		}
	}
	c.entries[id] = e
}

func (c *credentialCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, id)
}
