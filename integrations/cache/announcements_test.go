package cache_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/integrations/cache"
)

// noticeStore is an announcement.Store in memory that counts its reads and
// can be made slow.
type noticeStore struct {
	mu      sync.Mutex
	items   []announcement.Announcement
	rev     int64
	lists   atomic.Int64
	revs    atomic.Int64
	release chan struct{} // when set, List waits for it
}

func (s *noticeStore) List(_ context.Context, q announcement.Query) ([]announcement.Announcement, int, error) {
	s.lists.Add(1)
	if s.release != nil {
		<-s.release
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []announcement.Announcement
	for _, a := range s.items {
		if a.Published || q.IncludeHidden {
			out = append(out, a)
		}
	}
	return out, len(out), nil
}

func (s *noticeStore) Get(context.Context, string) (announcement.Announcement, error) {
	return announcement.Announcement{}, nil
}

func (s *noticeStore) Insert(_ context.Context, a announcement.Announcement) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items = append(s.items, a)
	s.rev++
	return nil
}

func (s *noticeStore) Update(_ context.Context, a announcement.Announcement, _ int64) error {
	return s.Insert(context.Background(), a)
}

func (s *noticeStore) Revision(context.Context) (int64, error) {
	s.revs.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rev, nil
}

func (s *noticeStore) Seed(context.Context, int64, []announcement.Announcement) (int, error) {
	return 0, nil
}

func titles(items []announcement.Announcement) []string {
	var out []string
	for _, a := range items {
		out = append(out, a.Title)
	}
	return out
}

func TestAnnouncementListsKeptUntilAWrite(t *testing.T) {
	next := &noticeStore{items: []announcement.Announcement{{ID: "a1", Title: "社保缴费基数调整", Published: true}}}
	s := cache.NewAnnouncementStore(next, time.Hour, nil)
	defer s.Close()
	ctx := context.Background()
	q := announcement.Query{Category: announcement.Category("policy"), Limit: 8}
	for range 5 {
		items, total, err := s.List(ctx, q)
		if err != nil || total != 1 || titles(items)[0] != "社保缴费基数调整" {
			t.Fatalf("List = %v, %d, %v", titles(items), total, err)
		}
		if _, err := s.Revision(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if next.lists.Load() != 1 || next.revs.Load() != 1 {
		t.Errorf("5 reads made %d list and %d revision queries; want 1 each", next.lists.Load(), next.revs.Load())
	}
	// Another page, or a keyword, is another list.
	s.List(ctx, announcement.Query{Category: "policy", Terms: []string{"养老"}, Limit: 8})
	if next.lists.Load() != 2 {
		t.Errorf("a search made %d queries in all; want 2", next.lists.Load())
	}
	// A notice published through this instance shows at once.
	if err := s.Insert(ctx, announcement.Announcement{ID: "a2", Title: "养老金上调通知", Published: true}); err != nil {
		t.Fatal(err)
	}
	items, _, _ := s.List(ctx, q)
	if rev, _ := s.Revision(ctx); len(items) != 2 || rev != 1 {
		t.Errorf("after a write: %v, revision %d; want both notices, revision 1", titles(items), rev)
	}
	// Administrators see the store itself.
	before := next.lists.Load()
	s.List(ctx, announcement.Query{IncludeHidden: true, Limit: 8})
	s.List(ctx, announcement.Query{IncludeHidden: true, Limit: 8})
	if got := next.lists.Load() - before; got != 2 {
		t.Errorf("2 administrator lists made %d queries; want 2, none kept", got)
	}
}

func TestAnnouncementListsExpire(t *testing.T) {
	next := &noticeStore{}
	s := cache.NewAnnouncementStore(next, 50*time.Millisecond, nil)
	defer s.Close()
	ctx := context.Background()
	s.List(ctx, announcement.Query{Limit: 8})
	next.Insert(ctx, announcement.Announcement{ID: "a1", Title: "另一实例发布的公告", Published: true}) // another instance's write
	deadline := time.Now().Add(2 * time.Second)
	for {
		items, _, _ := s.List(ctx, announcement.Query{Limit: 8})
		if len(items) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("another instance's notice never showed")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestAnnouncementMissesCollapse(t *testing.T) {
	next := &noticeStore{release: make(chan struct{})}
	s := cache.NewAnnouncementStore(next, time.Hour, nil)
	defer s.Close()
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { s.List(context.Background(), announcement.Query{Limit: 8}) })
	}
	time.Sleep(50 * time.Millisecond) // let them all ask
	close(next.release)
	wg.Wait()
	if got := next.lists.Load(); got != 1 {
		t.Errorf("50 concurrent reads of one page made %d queries; want 1", got)
	}
}
