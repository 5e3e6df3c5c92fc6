package catalog

import (
	"context"
	"slices"

	"github.com/dandong-hrss/hrss/domain"
)

// Upsert stores an administrator's new or changed matter (事项扩展维护) and
// serves it at once on this instance; the others pick it up on Refresh.
// m.Version must be the version the change was based on — 0 for a new
// matter — and the stored matter gets the next one, so two administrators
// never silently overwrite each other.
//
// The definition is checked alone (unique keys, sane limits, valid
// patterns and examples…) and within the catalog (the matters it refers to
// exist, no circle of prerequisites, the bundles that package it still
// merge). Invalid names every problem by its path ("fields[2].key");
// Conflict when the matter changed since m.Version or a new matter's code
// is taken.
func (s *Service) Upsert(ctx context.Context, m Matter) (Matter, error) {
	m = m.Clone()
	if err := problemsOf(func(p problems) { checkMatter(p, m) }); err != nil {
		return Matter{}, err
	}
	err := s.write(ctx, func(cur *Catalog) (Contents, func(int64) error, error) {
		old, exists := cur.matters[m.Code]
		if err := versionConflict("事项", exists, m.Version, func() int64 { return old.matter.Version }); err != nil {
			return Contents{}, nil, err
		}
		saved := m
		saved.Version, saved.UpdatedAt = m.Version+1, s.now()
		next := cur.Contents()
		i := slices.IndexFunc(next.Matters, func(x Matter) bool { return x.Code == m.Code })
		if i < 0 {
			next.Matters = append(next.Matters, saved)
		} else {
			next.Matters[i] = saved
		}
		return next, func(rev int64) error { return s.store.SaveMatter(ctx, saved, rev) }, nil
	})
	if err != nil {
		return Matter{}, err
	}
	got, _ := s.current.Load().Matter(m.Code)
	return got, nil
}

// UpsertBundle is Upsert for a bundle definition.
func (s *Service) UpsertBundle(ctx context.Context, b Bundle) (BundleView, error) {
	b = b.clone()
	if err := problemsOf(func(p problems) { checkBundle(p, b) }); err != nil {
		return BundleView{}, err
	}
	err := s.write(ctx, func(cur *Catalog) (Contents, func(int64) error, error) {
		old, exists := cur.bundles[b.Code]
		if err := versionConflict("一件事", exists, b.Version, func() int64 { return old.view.Version }); err != nil {
			return Contents{}, nil, err
		}
		saved := b
		saved.Version, saved.UpdatedAt = b.Version+1, s.now()
		next := cur.Contents()
		i := slices.IndexFunc(next.Bundles, func(x Bundle) bool { return x.Code == b.Code })
		if i < 0 {
			next.Bundles = append(next.Bundles, saved)
		} else {
			next.Bundles[i] = saved
		}
		return next, func(rev int64) error { return s.store.SaveBundle(ctx, saved, rev) }, nil
	})
	if err != nil {
		return BundleView{}, err
	}
	return s.current.Load().bundles[b.Code].view.clone(), nil
}

// change turns the catalog being served into the contents after a change
// and the store write that makes it durable (given the revision the change
// is based on).
type change func(cur *Catalog) (next Contents, save func(prevRevision int64) error, err error)

// write applies a change: on the latest stored catalog, checked whole,
// saved compare-and-set, then served. When another instance wrote first it
// reloads and applies the change again.
func (s *Service) write(ctx context.Context, apply change) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	for attempt := 1; ; attempt++ {
		if err := s.loadLocked(ctx); err != nil {
			return err
		}
		cur := s.current.Load()
		next, save, err := apply(cur)
		if err != nil {
			return err
		}
		next.Revision = cur.revision + 1
		c, err := build(next, cur, s.schemas)
		if err != nil {
			return err
		}
		err = save(cur.revision)
		if domain.IsCode(err, domain.Conflict) && attempt < maxAttempts {
			continue
		}
		if err != nil {
			return err
		}
		s.current.Store(c)
		return nil
	}
}

// versionConflict checks the version a change was based on against the
// stored one.
func versionConflict(what string, exists bool, based int64, stored func() int64) error {
	switch {
	case !exists && based != 0:
		return domain.Errorf(domain.Conflict, "该%s不存在或已被删除，请刷新后重试", what)
	case exists && based == 0:
		return domain.Errorf(domain.Conflict, "该%s编码已被使用，请换一个编码或编辑已有的%s", what, what)
	case exists && based != stored():
		return domain.Errorf(domain.Conflict, "该%s已被他人修改（当前为第%d版），请刷新后重新修改", what, stored())
	}
	return nil
}

// problemsOf runs check and returns what it found as an Invalid error.
func problemsOf(check func(problems)) error {
	p := newProblems()
	check(p)
	return p.err()
}
