package public_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"sync"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// docStore keeps print records in memory; down makes it fail as a database
// that is unreachable.
type docStore struct {
	mu      sync.Mutex
	records map[string]document.Record
	down    bool
}

func (s *docStore) Save(_ context.Context, r document.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.records == nil {
		s.records = map[string]document.Record{}
	}
	s.records[r.Serial] = r
	return nil
}

func (s *docStore) Record(_ context.Context, serial string) (document.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return document.Record{}, domain.Errorf(domain.Unavailable, "文书记录暂时无法访问，请稍后重试")
	}
	r, ok := s.records[serial]
	if !ok {
		return document.Record{}, domain.Errorf(domain.NotFound, "未找到该文书")
	}
	return r, nil
}

type pdfStub struct{}

func (pdfStub) Render(context.Context, document.Sheet) ([]byte, error) {
	return []byte("%PDF-1.4"), nil
}

type hashSealer struct{}

func (hashSealer) Seal(p string) (string, error) { return p, nil }
func (hashSealer) Open(s string) (string, error) { return s, nil }
func (hashSealer) BlindIndex(k privacy.Kind, v string) string {
	sum := sha256.Sum256([]byte(string(k) + v))
	return hex.EncodeToString(sum[:16])
}

// boardStore keeps announcements in memory, ordered and filtered as the
// database stores are.
type boardStore struct {
	mu       sync.Mutex
	items    map[string]announcement.Announcement
	revision int64
	seed     int64
}

func (s *boardStore) List(_ context.Context, q announcement.Query) ([]announcement.Announcement, int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var hits []announcement.Announcement
	for _, a := range s.items {
		if (!a.Published && !q.IncludeHidden) || (q.Category != "" && a.Category != q.Category) {
			continue
		}
		if slices.ContainsFunc(q.Terms, func(t string) bool { return !strings.Contains(a.Title, t) && !strings.Contains(a.Body, t) }) {
			continue
		}
		hits = append(hits, a)
	}
	slices.SortFunc(hits, func(a, b announcement.Announcement) int {
		switch {
		case a.Pinned != b.Pinned && a.Pinned:
			return -1
		case a.Pinned != b.Pinned:
			return 1
		case !a.PublishedAt.Equal(b.PublishedAt):
			return b.PublishedAt.Compare(a.PublishedAt)
		}
		return strings.Compare(a.ID, b.ID)
	})
	total := len(hits)
	if q.Offset >= total {
		return nil, total, nil
	}
	return hits[q.Offset:min(total, q.Offset+q.Limit)], total, nil
}

func (s *boardStore) Get(_ context.Context, id string) (announcement.Announcement, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.items[id]
	if !ok {
		return a, domain.Errorf(domain.NotFound, "该公告已撤下或不存在")
	}
	return a, nil
}

func (s *boardStore) Insert(_ context.Context, a announcement.Announcement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[a.ID] = a
	s.revision++
	return nil
}

func (s *boardStore) Update(_ context.Context, a announcement.Announcement, prev int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.items[a.ID].Version != prev {
		return domain.Errorf(domain.Conflict, "该公告刚被其他管理员修改，请刷新后重试")
	}
	s.items[a.ID] = a
	s.revision++
	return nil
}

func (s *boardStore) Revision(context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.revision, nil
}

func (s *boardStore) Seed(_ context.Context, version int64, items []announcement.Announcement) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if version <= s.seed {
		return 0, nil
	}
	s.seed, s.revision = version, s.revision+1
	if s.items == nil {
		s.items = map[string]announcement.Announcement{}
	}
	n := 0
	for _, a := range items {
		if _, ok := s.items[a.ID]; !ok {
			s.items[a.ID] = a
			n++
		}
	}
	return n, nil
}
