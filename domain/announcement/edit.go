package announcement

import (
	"context"
	"io"

	"github.com/dandong-hrss/hrss/domain"
)

// Create publishes a new announcement. Errors: Invalid naming each field
// at fault.
func (s *Service) Create(ctx context.Context, d Draft) (Announcement, error) {
	if err := d.check(); err != nil {
		return Announcement{}, err
	}
	id, err := s.newID()
	if err != nil {
		return Announcement{}, err
	}
	now := s.now()
	a := Announcement{ID: id, Published: true, Version: 1, UpdatedAt: now}
	d.apply(&a, now)
	if err := s.store.Insert(ctx, a); err != nil {
		return Announcement{}, err
	}
	return a, nil
}

// Update replaces the text and dates of an announcement an administrator
// read at version. Errors: Invalid; NotFound; Conflict when someone else
// changed it since.
func (s *Service) Update(ctx context.Context, id string, d Draft, version int64) (Announcement, error) {
	if err := d.check(); err != nil {
		return Announcement{}, err
	}
	return s.change(ctx, id, version, func(a *Announcement) { d.apply(a, a.PublishedAt) })
}

// SetPublished unpublishes (撤下) an announcement, hiding it from citizens,
// or publishes it again. Errors: NotFound; Conflict as for Update.
func (s *Service) SetPublished(ctx context.Context, id string, published bool, version int64) (Announcement, error) {
	return s.change(ctx, id, version, func(a *Announcement) { a.Published = published })
}

// Admin returns an announcement whether published or not, with its version
// for a following Update. Errors: NotFound.
func (s *Service) Admin(ctx context.Context, id string) (Announcement, error) {
	return s.store.Get(ctx, id)
}

// change applies fn to the stored announcement if it is still at version.
func (s *Service) change(ctx context.Context, id string, version int64, fn func(*Announcement)) (Announcement, error) {
	a, err := s.store.Get(ctx, id)
	if err != nil {
		return Announcement{}, err
	}
	if a.Version != version {
		return Announcement{}, errEdited()
	}
	fn(&a)
	a.Version, a.UpdatedAt = version+1, s.now()
	if err := s.store.Update(ctx, a, version); err != nil {
		return Announcement{}, err
	}
	return a, nil
}

func errEdited() error {
	return domain.Errorf(domain.Conflict, "该公告刚被其他管理员修改，请刷新后重试")
}

// newID draws an id for a created announcement: "ann-" and ten characters
// of lower-case Crockford base32. Seed items have readable ids instead.
func (s *Service) newID() (string, error) {
	const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
	var b [10]byte
	if _, err := io.ReadFull(s.random, b[:]); err != nil {
		return "", domain.Wrap(err, domain.Internal, "暂时无法保存公告，请稍后再试")
	}
	for i, c := range b {
		b[i] = alphabet[c&31]
	}
	return "ann-" + string(b[:]), nil
}
