package announcement

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// seedJSON is the announcements this release ships.
//
//go:embed seed.json
var seedJSON []byte

// SeedFile is the seed file. Bump Version when adding items, or stores
// that loaded the previous file will not look at it again; items already
// stored are never overwritten (an administrator may have edited them), so
// to correct a shipped item, edit it in the admin screens or give the
// corrected text a new id.
type SeedFile struct {
	Version int64      `json:"version"`
	Note    string     `json:"note"`
	Items   []SeedItem `json:"announcements"`
}

// SeedItem is one announcement in the seed file; dates are Beijing dates
// (2026-01-05).
type SeedItem struct {
	ID             string   `json:"id"`
	Category       Category `json:"category"`
	Title          string   `json:"title"`
	Body           []string `json:"body"` // one paragraph each
	Source         string   `json:"source"`
	PublishedAt    string   `json:"publishedAt"`
	EffectiveFrom  string   `json:"effectiveFrom,omitempty"`
	EffectiveUntil string   `json:"effectiveUntil,omitempty"`
	Pinned         bool     `json:"pinned,omitempty"`
}

// EmbeddedSeed returns the seed file built into the binary.
func EmbeddedSeed() (SeedFile, error) { return ParseSeed(seedJSON) }

// ParseSeed reads a seed file strictly: an unknown key is an error.
func ParseSeed(data []byte) (SeedFile, error) {
	var f SeedFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return SeedFile{}, fmt.Errorf("parse announcement seed: %w", err)
	}
	return f, nil
}

// seedID is the shape of a seed item's id: readable, URL-safe, stable.
var seedID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,63}$`)

// announcements turns the items into announcements, checking each as an
// administrator's draft would be checked.
func (f SeedFile) announcements(now time.Time) ([]Announcement, error) {
	seen := map[string]bool{}
	out := make([]Announcement, 0, len(f.Items))
	for i, it := range f.Items {
		if !seedID.MatchString(it.ID) || seen[it.ID] {
			return nil, fmt.Errorf("announcement seed item %d: id %q is malformed or repeated", i, it.ID)
		}
		seen[it.ID] = true
		a, err := it.announcement(now)
		if err != nil {
			return nil, fmt.Errorf("announcement seed item %s: %w", it.ID, err)
		}
		out = append(out, a)
	}
	return out, nil
}

func (it SeedItem) announcement(now time.Time) (Announcement, error) {
	d := Draft{Category: it.Category, Title: it.Title, Source: it.Source, Pinned: it.Pinned}
	for i, p := range it.Body {
		if i > 0 {
			d.Body += "\n"
		}
		d.Body += p
	}
	for _, f := range []struct {
		s  string
		to *time.Time
	}{{it.PublishedAt, &d.PublishedAt}, {it.EffectiveFrom, &d.EffectiveFrom}, {it.EffectiveUntil, &d.EffectiveUntil}} {
		if f.s == "" {
			continue
		}
		t, err := domain.ParseDate(f.s, "date")
		if err != nil {
			return Announcement{}, err
		}
		*f.to = t
	}
	if d.PublishedAt.IsZero() {
		return Announcement{}, fmt.Errorf("no publishedAt")
	}
	if err := d.check(); err != nil {
		return Announcement{}, err
	}
	a := Announcement{ID: it.ID, Published: true, Version: 1, UpdatedAt: now}
	d.apply(&a, now)
	return a, nil
}
