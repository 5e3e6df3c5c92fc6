package catalog

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Config is what Open needs.
type Config struct {
	Store   Store
	Schemas SchemaValidator
	// File is the catalog file of this release, normally from EmbeddedFile.
	File   File
	Logger *slog.Logger     // nil: discard
	Now    func() time.Time // nil: time.Now; stamps UpdatedAt
}

// Service serves the catalog. Reads are lock-free and never touch the
// store; writes are serialised, checked, stored and then swapped in.
type Service struct {
	store   Store
	schemas SchemaValidator
	logger  *slog.Logger
	now     func() time.Time
	current atomic.Pointer[Catalog]
	writeMu sync.Mutex // serialises loads and writes
}

// Open imports cfg.File into the store if its version is newer than the one
// the store last imported, loads the store and returns the Service ready to
// serve. The rule, so a release's catalog and administrators' edits both
// behave predictably:
//
//   - file version > stored: the file replaces the whole catalog (matters
//     and bundles absent from it are deleted). A matter whose definition is
//     unchanged keeps its version; a changed one gets the stored version + 1,
//     so versions only grow.
//   - file version ≤ stored: the store wins; admin changes survive.
//
// To keep an admin change across a release, put it into catalog.json and
// bump the file's version. When several instances start together one
// imports and the others load its result.
func Open(ctx context.Context, cfg Config) (*Service, error) {
	s := &Service{store: cfg.Store, schemas: cfg.Schemas, logger: cfg.Logger, now: cfg.Now}
	if s.logger == nil {
		s.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.importFile(ctx, cfg.File); err != nil {
		return nil, err
	}
	if err := s.loadLocked(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// maxAttempts bounds how often a write is retried when another instance
// wrote first.
const maxAttempts = 3

// importFile replaces the stored catalog with f if f is newer.
func (s *Service) importFile(ctx context.Context, f File) error {
	for attempt := 1; ; attempt++ {
		stored, err := s.store.Load(ctx)
		if err != nil {
			return fmt.Errorf("load catalog: %w", err)
		}
		if f.Version <= stored.FileVersion {
			s.logger.Info("catalog file not newer than the stored catalog; keeping the stored one",
				"fileVersion", f.Version, "storedFileVersion", stored.FileVersion)
			return nil
		}
		next := importPlan(stored, f, s.now())
		if _, err := build(next, nil, s.schemas); err != nil {
			return fmt.Errorf("catalog file version %d: %w", f.Version, err)
		}
		err = s.store.Replace(ctx, stored.Revision, next)
		if domain.IsCode(err, domain.Conflict) && attempt < maxAttempts {
			continue // another instance wrote first: look again
		}
		if err != nil {
			return fmt.Errorf("import catalog file version %d: %w", f.Version, err)
		}
		s.logger.Info("imported catalog file", "fileVersion", f.Version,
			"matters", len(next.Matters), "bundles", len(next.Bundles))
		return nil
	}
}

// importPlan returns f's contents with versions assigned against stored:
// unchanged definitions keep their version and time, changed ones move on.
func importPlan(stored Contents, f File, now time.Time) Contents {
	old := map[string]Matter{}
	for _, m := range stored.Matters {
		old[m.Code] = m
	}
	oldB := map[string]Bundle{}
	for _, b := range stored.Bundles {
		oldB[b.Code] = b
	}
	next := Contents{FileVersion: f.Version}
	for _, m := range f.Matters {
		m = m.Clone()
		o, ok := old[m.Code]
		m.Version, m.UpdatedAt = o.Version, o.UpdatedAt // compare content alone
		if !ok || hashOf(m) != hashOf(o) {
			m.Version, m.UpdatedAt = o.Version+1, now
		}
		next.Matters = append(next.Matters, m)
	}
	for _, b := range f.Bundles {
		b = b.clone()
		o, ok := oldB[b.Code]
		b.Version, b.UpdatedAt = o.Version, o.UpdatedAt
		if !ok || hashOf(b) != hashOf(o) {
			b.Version, b.UpdatedAt = o.Version+1, now
		}
		next.Bundles = append(next.Bundles, b)
	}
	return next
}

// loadLocked builds the stored catalog and swaps it in, unless what is
// served is already as new.
func (s *Service) loadLocked(ctx context.Context) error {
	if prev := s.current.Load(); prev != nil {
		rev, err := s.store.Revision(ctx)
		if err != nil {
			return fmt.Errorf("catalog revision: %w", err)
		}
		if rev == prev.revision {
			return nil
		}
	}
	contents, err := s.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	c, err := build(contents, s.current.Load(), s.schemas)
	if err != nil {
		return fmt.Errorf("stored catalog revision %d: %w", contents.Revision, err)
	}
	s.current.Store(c)
	return nil
}

// Refresh loads the store's catalog if another instance changed it. On
// failure the catalog being served stays.
func (s *Service) Refresh(ctx context.Context) error {
	rev, err := s.store.Revision(ctx)
	if err != nil {
		return fmt.Errorf("catalog revision: %w", err)
	}
	if rev == s.current.Load().revision {
		return nil
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	return s.loadLocked(ctx)
}

// Watch calls Refresh every interval (which must be positive) until ctx
// ends, so that an administrator's change on one instance reaches the
// others. Failures are logged; the catalog being served stays.
func (s *Service) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				s.logger.Warn("catalog refresh failed; serving the previous catalog", "err", err)
			}
		}
	}
}

// Catalog returns the catalog being served, for a caller that reads
// several things and needs them consistent.
func (s *Service) Catalog() *Catalog { return s.current.Load() }

// ETag identifies the content being served; see Catalog.ETag.
func (s *Service) ETag() string { return s.current.Load().etag }

// Filter selects matters for List; zero fields select all.
type Filter struct {
	Channel       domain.Channel
	Applicant     ApplicantKind
	Area          string // a key of Areas
	HighFrequency bool   // only the high-frequency matters
	Keyword       string // in the name, description or code, ignoring case
}

// List returns the matters the filter selects, by code.
func (s *Service) List(f Filter) []Summary {
	c := s.current.Load()
	kw := strings.ToLower(strings.TrimSpace(f.Keyword))
	var out []Summary
	for _, code := range c.codes {
		m := &c.matters[code].matter
		if f.matches(m, kw) {
			out = append(out, m.summary())
		}
	}
	return out
}

func (f Filter) matches(m *Matter, kw string) bool {
	return (f.Channel == "" || m.Offers(f.Channel)) &&
		(f.Applicant == "" || m.Applicant == f.Applicant) &&
		(f.Area == "" || Area(m.Code) == f.Area) &&
		(!f.HighFrequency || m.HighFrequency) &&
		(kw == "" || strings.Contains(strings.ToLower(m.Name+"\n"+m.Description+"\n"+m.Code), kw))
}

// errNoMatter is the answer for an unknown matter code.
func errNoMatter() error {
	return domain.Errorf(domain.NotFound, "未找到该事项，可能已调整，请返回事项列表重新选择")
}

// Matter returns the matter with the given code. NotFound when there is none.
func (s *Service) Matter(code string) (Matter, error) {
	m, ok := s.current.Load().Matter(code)
	if !ok {
		return Matter{}, errNoMatter()
	}
	return m, nil
}

// Form returns a matter's form in a situation ("" for the base form).
// NotFound for an unknown matter, Invalid for an unknown situation.
func (s *Service) Form(code, situation string) (Form, error) {
	cf, err := s.current.Load().form(code, situation)
	if err != nil {
		return Form{}, err
	}
	f := cf.form
	f.Fields, f.Materials = cloneFields(f.Fields), cloneMaterials(f.Materials)
	return f, nil
}

func (c *Catalog) form(code, situation string) (compiledForm, error) {
	e, ok := c.matters[code]
	if !ok {
		return compiledForm{}, errNoMatter()
	}
	cf, ok := e.forms[situation]
	if !ok {
		return compiledForm{}, domain.InvalidFields(domain.FieldError{Field: "situation", Message: "所选办理情形不存在，请重新选择"})
	}
	return cf, nil
}

// ValidateForm checks data filled for a matter in a situation ("" for the
// base form). Values that are null, "" or an empty list count as not
// filled. A fault is an Invalid *domain.Error with one FieldError per field
// at fault, keyed by field key, its message naming the field in Chinese
// ("请填写姓名", "联系电话应为11位手机号码…"); keys the form does not have
// are faults too. NotFound for an unknown matter.
func (s *Service) ValidateForm(matterCode, situation string, data map[string]any) error {
	cf, err := s.current.Load().form(matterCode, situation)
	if err != nil {
		return err
	}
	return validate(cf.form.Fields, cf.check, data)
}

func validate(fields []Field, check FormCheck, data map[string]any) error {
	if errs := checkForm(fields, data); len(errs) > 0 {
		return domain.InvalidFields(errs...)
	}
	if err := check(filledOnly(data)); err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return err
		}
		return domain.Wrap(err, domain.Internal, "表单校验暂时无法完成，请稍后重试")
	}
	return nil
}

// Bundles returns every bundle, by code.
func (s *Service) Bundles() []BundleView {
	c := s.current.Load()
	out := make([]BundleView, 0, len(c.bundleCodes))
	for _, code := range c.bundleCodes {
		out = append(out, c.bundles[code].view.clone())
	}
	return out
}

// Bundle returns the bundle with the given code. NotFound when there is none.
func (s *Service) Bundle(code string) (BundleView, error) {
	e, ok := s.current.Load().bundles[code]
	if !ok {
		return BundleView{}, domain.Errorf(domain.NotFound, "未找到该“一件事”，请返回列表重新选择")
	}
	return e.view.clone(), nil
}

// ValidateBundleForm checks data filled in a bundle's merged form, as
// ValidateForm does for a matter.
func (s *Service) ValidateBundleForm(bundleCode string, data map[string]any) error {
	e, ok := s.current.Load().bundles[bundleCode]
	if !ok {
		return domain.Errorf(domain.NotFound, "未找到该“一件事”，请返回列表重新选择")
	}
	return validate(e.view.Fields, e.check, data)
}

// SplitBundleForm splits data filled in a bundle's merged form into the
// form of each packaged matter, by matter code: each gets the values of
// the fields it asks for. Call it after ValidateBundleForm.
func (s *Service) SplitBundleForm(bundleCode string, data map[string]any) (map[string]map[string]any, error) {
	e, ok := s.current.Load().bundles[bundleCode]
	if !ok {
		return nil, domain.Errorf(domain.NotFound, "未找到该“一件事”，请返回列表重新选择")
	}
	out := make(map[string]map[string]any, len(e.view.Matters))
	for _, code := range e.view.Matters {
		out[code] = map[string]any{}
	}
	for key, v := range data {
		for _, code := range e.owners[key] {
			out[code][key] = v
		}
	}
	return out, nil
}
