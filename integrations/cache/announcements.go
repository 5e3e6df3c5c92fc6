package cache

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"
)

// AnnouncementStore keeps the bureau's notices in memory in front of their
// store (announcement.Store): every kiosk's and app's first screen lists
// them, at peak a few hundred times a second, and they change a few times
// a week. A list page and the store's revision are kept for TTL; a write
// through this instance forgets them at once, other instances within TTL
// (a notice appearing seconds late on another instance is harmless, and
// costs no Redis round trip on every read). Concurrent misses for one page
// make one query. Lists for administrators (hidden ones included) and
// single announcements are not kept.
type AnnouncementStore struct {
	next  announcement.Store
	ttl   time.Duration
	lists *otter.Cache[string, announcementPage]
	group singleflight.Group
	c     counters

	mu    sync.Mutex
	rev   int64
	revAt time.Time // zero: not known
	epoch uint64    // moves on with every write, so a read begun before it is not kept
}

type announcementPage struct {
	items []announcement.Announcement
	total int
}

var _ announcement.Store = (*AnnouncementStore)(nil)

// NewAnnouncementStore returns next with lists kept for ttl (5 s if zero),
// counted under hrss_cache_lookups_total{cache="announcements"} on reg.
func NewAnnouncementStore(next announcement.Store, ttl time.Duration, reg prometheus.Registerer) *AnnouncementStore {
	if ttl <= 0 {
		ttl = 5 * time.Second
	}
	return &AnnouncementStore{next: next, ttl: ttl, c: newMetrics(reg).counters("announcements"),
		lists: otter.Must(&otter.Options[string, announcementPage]{MaximumSize: 2000, ExpiryCalculator: otter.ExpiryWriting[string, announcementPage](ttl)})}
}

// Close stops the cache's background work.
func (s *AnnouncementStore) Close() { s.lists.StopAllGoroutines() }

// List answers a citizen's list from memory when it was read within TTL.
func (s *AnnouncementStore) List(ctx context.Context, q announcement.Query) ([]announcement.Announcement, int, error) {
	if q.IncludeHidden {
		return s.next.List(ctx, q)
	}
	key := listKey(q)
	if p, ok := s.lists.GetIfPresent(key); ok {
		s.c.l1Hit.Inc()
		return p.items, p.total, nil
	}
	s.c.miss.Inc()
	epoch := s.currentEpoch()
	v, err, _ := s.group.Do(key, func() (any, error) {
		items, total, err := s.next.List(ctx, q)
		if err != nil {
			return nil, err
		}
		p := announcementPage{items: items, total: total}
		if s.currentEpoch() == epoch {
			s.lists.Set(key, p)
		}
		return p, nil
	})
	if err != nil {
		return nil, 0, err
	}
	p := v.(announcementPage)
	return p.items, p.total, nil
}

// Revision answers from memory when it was read within TTL, so a client's
// conditional request (If-None-Match) costs no query.
func (s *AnnouncementStore) Revision(ctx context.Context) (int64, error) {
	s.mu.Lock()
	if !s.revAt.IsZero() && time.Since(s.revAt) < s.ttl {
		rev := s.rev
		s.mu.Unlock()
		return rev, nil
	}
	epoch := s.epoch
	s.mu.Unlock()
	rev, err := s.next.Revision(ctx)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	if s.epoch == epoch {
		s.rev, s.revAt = rev, time.Now()
	}
	s.mu.Unlock()
	return rev, nil
}

// Get is not kept: one notice is read when opened, not on every screen.
func (s *AnnouncementStore) Get(ctx context.Context, id string) (announcement.Announcement, error) {
	return s.next.Get(ctx, id)
}

// Insert writes through and forgets every list.
func (s *AnnouncementStore) Insert(ctx context.Context, a announcement.Announcement) error {
	defer s.forget()
	return s.next.Insert(ctx, a)
}

// Update writes through and forgets every list.
func (s *AnnouncementStore) Update(ctx context.Context, a announcement.Announcement, prev int64) error {
	defer s.forget()
	return s.next.Update(ctx, a, prev)
}

// Seed writes through and forgets every list.
func (s *AnnouncementStore) Seed(ctx context.Context, version int64, items []announcement.Announcement) (int, error) {
	defer s.forget()
	return s.next.Seed(ctx, version, items)
}

func (s *AnnouncementStore) currentEpoch() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.epoch
}

// forget drops every kept list and the revision; reads begun before it are
// not kept.
func (s *AnnouncementStore) forget() {
	s.mu.Lock()
	s.epoch++
	s.revAt = time.Time{}
	s.mu.Unlock()
	s.lists.InvalidateAll()
}

// listKey is a query's key: the fields joined by a byte no term holds.
func listKey(q announcement.Query) string {
	var b strings.Builder
	b.WriteString(string(q.Category))
	for _, t := range q.Terms {
		b.WriteByte(0)
		b.WriteString(t)
	}
	b.WriteByte(1)
	b.WriteString(strconv.Itoa(q.Offset))
	b.WriteByte(1)
	b.WriteString(strconv.Itoa(q.Limit))
	return b.String()
}
