package catalog

import (
	"context"
	"slices"
	"sync"

	"github.com/dandong-hrss/hrss/domain"
)

// MemoryStore keeps the catalog in process memory: for tests of the
// channels and for tools that need the catalog without a database. It
// behaves like the durable store, compare-and-set included.
type MemoryStore struct {
	mu sync.Mutex
	c  Contents
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Load returns a copy of what is stored.
func (s *MemoryStore) Load(context.Context) (Contents, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return copyContents(s.c), nil
}

// Revision returns the revision.
func (s *MemoryStore) Revision(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c.Revision, nil
}

// Replace stores c whole. Conflict when the revision moved on.
func (s *MemoryStore) Replace(_ context.Context, prev int64, c Contents) error {
	return s.write(prev, func() {
		rev := s.c.Revision
		s.c = copyContents(c)
		s.c.Revision = rev
	})
}

// SaveMatter stores m. Conflict when the revision moved on.
func (s *MemoryStore) SaveMatter(_ context.Context, m Matter, prev int64) error {
	return s.write(prev, func() {
		i := slices.IndexFunc(s.c.Matters, func(x Matter) bool { return x.Code == m.Code })
		if i < 0 {
			s.c.Matters = append(s.c.Matters, m.Clone())
		} else {
			s.c.Matters[i] = m.Clone()
		}
	})
}

// SaveBundle stores b. Conflict when the revision moved on.
func (s *MemoryStore) SaveBundle(_ context.Context, b Bundle, prev int64) error {
	b = b.clone()
	return s.write(prev, func() {
		i := slices.IndexFunc(s.c.Bundles, func(x Bundle) bool { return x.Code == b.Code })
		if i < 0 {
			s.c.Bundles = append(s.c.Bundles, b)
		} else {
			s.c.Bundles[i] = b
		}
	})
}

func (s *MemoryStore) write(prev int64, apply func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.c.Revision != prev {
		return domain.Errorf(domain.Conflict, "事项库刚被修改，请刷新后重试")
	}
	apply()
	s.c.Revision++
	return nil
}

func copyContents(c Contents) Contents {
	out := Contents{FileVersion: c.FileVersion, Revision: c.Revision}
	for _, m := range c.Matters {
		out.Matters = append(out.Matters, m.Clone())
	}
	for _, b := range c.Bundles {
		b = b.clone()
		out.Bundles = append(out.Bundles, b)
	}
	return out
}
