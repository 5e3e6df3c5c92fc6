package notify_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
)

// memStore is the outbox in memory, keeping the port's promises: dedup by
// key, slots under one lock, leases checked on every write.
type memStore struct {
	mu     sync.Mutex
	recs   []*notify.Record
	leases int
}

var _ notify.Store = (*memStore)(nil)

func (m *memStore) Add(_ context.Context, rec notify.Record, since time.Time, slot func([]time.Time) time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var recent []time.Time
	for _, r := range m.recs {
		if r.DedupKey == rec.DedupKey {
			return false, nil
		}
		if r.To.PersonRef == rec.To.PersonRef && r.SlotAt.After(since) {
			recent = append(recent, r.SlotAt)
		}
	}
	slices.SortFunc(recent, time.Time.Compare)
	rec.ID = int64(len(m.recs) + 1)
	rec.State = notify.StatePending
	rec.SlotAt = slot(recent)
	rec.NextAttemptAt = rec.SlotAt
	m.recs = append(m.recs, &rec)
	return true, nil
}

func (m *memStore) Claim(_ context.Context, now time.Time, limit int, lease time.Duration) ([]notify.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.leases++
	var out []notify.Record
	for _, r := range m.recs {
		live := r.State == notify.StatePending || r.State == notify.StateSending
		if live && !r.NextAttemptAt.After(now) && len(out) < limit {
			r.State, r.Lease, r.NextAttemptAt = notify.StateSending, "L"+strconv.Itoa(m.leases), now.Add(lease)
			r.Attempts++
			out = append(out, *r)
		}
	}
	return out, nil
}

// leased returns the record id if lease still holds it.
func (m *memStore) leased(id int64, lease string) (*notify.Record, error) {
	for _, r := range m.recs {
		if r.ID == id && r.Lease == lease && lease != "" {
			return r, nil
		}
	}
	return nil, domain.Errorf(domain.Conflict, "lease lost")
}

func (m *memStore) MarkInFlight(_ context.Context, id int64, lease string, route notify.Route, _ time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.leased(id, lease)
	if err != nil {
		return err
	}
	r.InFlight, r.Route = route, route
	return nil
}

func (m *memStore) Settle(_ context.Context, id int64, lease string, s notify.Settlement) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, err := m.leased(id, lease)
	if err != nil {
		return err
	}
	r.State, r.Route, r.MessageID, r.SkipWeChat, r.LastError = s.State, s.Route, s.MessageID, s.SkipWeChat, s.LastError
	r.Lease, r.InFlight, r.NextAttemptAt = "", "", time.Time{}
	if s.State == notify.StatePending {
		r.NextAttemptAt = s.NextAttemptAt
	}
	if s.State == notify.StateSent {
		r.SentAt = s.At
	}
	return nil
}

func (m *memStore) Find(_ context.Context, key string) (notify.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		if r.DedupKey == key {
			return *r, nil
		}
	}
	return notify.Record{}, domain.Errorf(domain.NotFound, "未找到该通知")
}

func (m *memStore) Reviews(_ context.Context, limit int) ([]notify.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []notify.Record
	for _, r := range m.recs {
		if r.State == notify.StateReview && len(out) < limit {
			out = append(out, *r)
		}
	}
	return out, nil
}

func (m *memStore) Resolve(_ context.Context, id int64, delivered bool, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.recs {
		if r.ID == id && r.State == notify.StateReview {
			r.State, r.NextAttemptAt, r.InFlight = notify.StatePending, at, ""
			if delivered {
				r.State, r.NextAttemptAt, r.SentAt = notify.StateSent, time.Time{}, at
			}
			return nil
		}
	}
	return domain.Errorf(domain.NotFound, "未找到待核查的通知")
}

// sealer "seals" by prefixing, enough to tell sealed from raw.
type sealer struct{}

func (sealer) Open(s string) (string, error) {
	raw, ok := strings.CutPrefix(s, "sealed:")
	if !ok {
		return "", domain.Errorf(domain.Internal, "malformed")
	}
	return raw, nil
}

// channels records what was sent and answers as told.
type channels struct {
	mu        sync.Mutex
	follows   map[string]bool
	followErr error
	wechatErr []error // answers of successive WeChat sends; nil when used up
	smsErr    []error
	wechat    []notify.WeChatMessage
	sms       []notify.SMSMessage
	phones    []domain.Phone
}

func (c *channels) Subscribed(_ context.Context, openID string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.follows[openID], c.followErr
}

func (c *channels) SendWeChat(_ context.Context, _ string, m notify.WeChatMessage) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := pop(&c.wechatErr); err != nil {
		return "", err
	}
	c.wechat = append(c.wechat, m)
	return "wx" + strconv.Itoa(len(c.wechat)), nil
}

func (c *channels) SendSMS(_ context.Context, p domain.Phone, m notify.SMSMessage) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := pop(&c.smsErr); err != nil {
		return "", err
	}
	c.sms = append(c.sms, m)
	c.phones = append(c.phones, p)
	return "SM" + strconv.Itoa(len(c.sms)), nil
}

func (c *channels) sent() (wechat, sms int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.wechat), len(c.sms)
}

func pop(errs *[]error) error {
	if len(*errs) == 0 {
		return nil
	}
	err := (*errs)[0]
	*errs = (*errs)[1:]
	return err
}

// clock is a settable time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }
