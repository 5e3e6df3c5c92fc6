package announcement

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// Store keeps announcements. Every method may also return Unavailable
// when the database fails.
type Store interface {
	// List returns the announcements matching q — pinned first, then the
	// most recently published — and how many match in all.
	List(ctx context.Context, q Query) ([]Announcement, int, error)
	// Get returns one announcement, published or not. Errors: NotFound.
	Get(ctx context.Context, id string) (Announcement, error)
	// Insert adds a. Errors: Conflict when the id is taken.
	Insert(ctx context.Context, a Announcement) error
	// Update replaces the announcement a.ID if its stored version is prev.
	// Errors: Conflict when the version moved on; NotFound.
	Update(ctx context.Context, a Announcement, prev int64) error
	// Revision moves on with every write: equal revisions, equal lists.
	Revision(ctx context.Context) (int64, error)
	// Seed inserts those of items whose id is not stored yet and records
	// version as the seed file loaded — unless a file of that version or
	// newer was loaded already, when it writes nothing. It returns how many
	// it inserted.
	Seed(ctx context.Context, version int64, items []Announcement) (int, error)
}

// Query selects announcements.
type Query struct {
	Category Category // "" for every category
	// Terms must each occur in the title or the body: a substring match,
	// so 养老 finds 养老保险 and 基本养老金 without a Chinese tokenizer.
	Terms         []string
	IncludeHidden bool // also unpublished ones, for administrators
	Offset, Limit int
}

// Config is what Open needs.
type Config struct {
	Store  Store
	Seed   SeedFile         // normally from EmbeddedSeed
	Logger *slog.Logger     // nil: discard
	Now    func() time.Time // nil: time.Now
	Random io.Reader        // ids of created announcements; nil: crypto/rand
}

// Service serves and edits announcements. It is safe for concurrent use.
// It keeps no copy: each read goes to the store (bff puts
// cache.AnnouncementStore in front, the load test having shown the lists
// to be a tenth of the server's work at peak). Lists it returns may be
// shared with other callers: read them, do not modify them.
type Service struct {
	store  Store
	logger *slog.Logger
	now    func() time.Time
	random io.Reader
}

// Open loads the seed file into the store if it is newer than the one last
// loaded (see Store.Seed) and returns the Service.
func Open(ctx context.Context, cfg Config) (*Service, error) {
	s := &Service{store: cfg.Store, logger: cfg.Logger, now: cfg.Now, random: cfg.Random}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.random == nil {
		s.random = rand.Reader
	}
	items, err := cfg.Seed.announcements(s.now())
	if err != nil {
		return nil, err
	}
	added, err := s.store.Seed(ctx, cfg.Seed.Version, items)
	if err != nil {
		return nil, err
	}
	if added > 0 {
		s.logger.Info("loaded announcement seed", "version", cfg.Seed.Version, "added", added)
	}
	return s, nil
}

// PageSize is how many announcements a list page holds by default: what a
// kiosk's touch screen shows without scrolling.
const PageSize = 8

// MaxPageSize bounds a page for the app's longer lists.
const MaxPageSize = 20

// List is one page of a list.
type List struct {
	Items    []Announcement
	Page     int // from 1
	PageSize int
	Total    int   // matching announcements in all
	Revision int64 // the store's revision before the read: the list's version
}

// Pages is how many pages the whole list has.
func (l List) Pages() int { return (l.Total + l.PageSize - 1) / l.PageSize }

// Now is the service's clock, so a channel judges an announcement's effect
// (EffectAt) by the same time as everything else.
func (s *Service) Now() time.Time { return s.now() }

// Revision is the store's current revision, for a caller that answers
// "not modified" without reading the list.
func (s *Service) Revision(ctx context.Context) (int64, error) { return s.store.Revision(ctx) }

// List returns page (from 1) of the published announcements of category (""
// for all) matching keyword, size to a page (0 for PageSize). A page past
// the end is empty, not an error. Errors: Invalid for an unknown category,
// a page below 1 or a size out of range.
func (s *Service) List(ctx context.Context, category Category, keyword string, page, size int) (List, error) {
	if size == 0 {
		size = PageSize
	}
	if err := checkList(category, page, size); err != nil {
		return List{}, err
	}
	rev, err := s.store.Revision(ctx)
	if err != nil {
		return List{}, err
	}
	items, total, err := s.store.List(ctx, Query{Category: category, Terms: Terms(keyword),
		Offset: (page - 1) * size, Limit: size})
	if err != nil {
		return List{}, err
	}
	return List{Items: items, Page: page, PageSize: size, Total: total, Revision: rev}, nil
}

func checkList(c Category, page, size int) error {
	var fields []domain.FieldError
	if c != "" && !c.Known() {
		fields = append(fields, domain.FieldError{Field: "category", Message: "不支持的公告分类"})
	}
	if page < 1 {
		fields = append(fields, domain.FieldError{Field: "page", Message: "页码应从1开始"})
	}
	if size < 1 || size > MaxPageSize {
		fields = append(fields, domain.FieldError{Field: "size", Message: "每页条数应为1至20"})
	}
	if len(fields) > 0 {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// The limits of a keyword: a few words, each a few characters.
const (
	maxTerms   = 3
	maxTermLen = 20
)

// Terms splits a keyword into the words that must each occur, dropping
// what goes past the limits: a search box is not a query language.
func Terms(keyword string) []string {
	var out []string
	for _, w := range strings.Fields(keyword) {
		if utf8.RuneCountInString(w) > maxTermLen {
			w = string([]rune(w)[:maxTermLen])
		}
		out = append(out, w)
		if len(out) == maxTerms {
			break
		}
	}
	return out
}

// Get returns a published announcement. Errors: NotFound, also for an
// unpublished one.
func (s *Service) Get(ctx context.Context, id string) (Announcement, error) {
	a, err := s.store.Get(ctx, id)
	if err == nil && !a.Published {
		err = domain.Errorf(domain.NotFound, "该公告已撤下或不存在")
	}
	if domain.IsCode(err, domain.NotFound) {
		return Announcement{}, domain.Errorf(domain.NotFound, "该公告已撤下或不存在")
	}
	return a, err
}
