package declaration_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Test data: a valid ID number, a unit's credit code, a phone in a form.
const (
	personID   = "11010519491231002X"
	creditCode = "91350100M000100Y43"
	phone      = "13812345678"
)

// sealer is a reversible stand-in for privacy.Sealer: base64 under a key
// id, and a SHA-256 blind index. It hides nothing; it only lets tests tell
// sealed from plain.
type sealer struct{}

func (sealer) Seal(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	return "t1:" + base64.RawURLEncoding.EncodeToString([]byte(p)), nil
}

func (sealer) Open(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, "t1:"))
	return string(b), err
}

func (sealer) BlindIndex(kind privacy.Kind, v string) string {
	sum := sha256.Sum256([]byte(string(kind) + "\x00" + v))
	return hex.EncodeToString(sum[:16])
}

// householdPledge is the commitment (告知承诺制) that may replace the
// household register.
const householdPledge = "本人承诺所填户籍信息真实有效，如有不实，愿承担相应法律责任。"

// rules is a catalog of two person matters, one unit matter and a bundle.
type rules struct{}

var matters = map[string]declaration.Matter{
	"unemployment.benefit": {Code: "unemployment.benefit", Name: "失业保险金申领", ApplicantKinds: []acceptance.ApplicantKind{acceptance.Person},
		RequiredMaterials: []string{"解除劳动合同证明", "户口簿"}, Commitments: map[string]string{"户口簿": householdPledge}},
	"unemployment.registration": {Code: "unemployment.registration", Name: "失业登记", ApplicantKinds: []acceptance.ApplicantKind{acceptance.Person}},
	"unit.hire":                 {Code: "unit.hire", Name: "企业招用员工参保登记", ApplicantKinds: []acceptance.ApplicantKind{acceptance.Unit}},
}

func (rules) Matter(_ context.Context, code, _ string) (declaration.Matter, error) {
	if m, ok := matters[code]; ok {
		return m, nil
	}
	return declaration.Matter{}, domain.Errorf(domain.NotFound, "未找到该事项")
}

func (rules) Bundle(_ context.Context, code string) (declaration.BundleRule, error) {
	if code == "bundle.unemployment" {
		return declaration.BundleRule{Code: code, Name: "失业一件事", Matters: []string{"unemployment.registration", "unemployment.benefit"}}, nil
	}
	return declaration.BundleRule{}, domain.Errorf(domain.NotFound, "未找到该事项")
}

// ValidateForm wants a "bank" field in every form.
func (rules) ValidateForm(_ context.Context, _, _ string, form json.RawMessage) error {
	var f map[string]any
	json.Unmarshal(form, &f)
	if f["bank"] == nil {
		return domain.InvalidFields(domain.FieldError{Field: "bank", Message: "请选择开户银行"})
	}
	return nil
}

// store is an in-memory Store, MaterialStore and DraftStore, enough for the
// service's own rules; the real ones are tested in applicationdb.
type store struct {
	created   []declaration.Filed
	byKey     map[string]declaration.Filed
	materials map[string]bool
	apps      map[string]declaration.Application
	drafts    map[string]declaration.Draft
	status    declaration.Status
}

func newStore() *store {
	return &store{byKey: map[string]declaration.Filed{}, materials: map[string]bool{}, apps: map[string]declaration.Application{},
		drafts: map[string]declaration.Draft{}}
}

func (s *store) Create(_ context.Context, f declaration.Filed) (declaration.Filed, bool, error) {
	key := f.Applications[0].Applicant.Ref + "/" + f.Applications[0].IdempotencyKey + f.Bundle.IdempotencyKey
	if old, ok := s.byKey[key]; ok {
		return old, true, nil
	}
	s.byKey[key] = f
	s.created = append(s.created, f)
	for _, a := range f.Applications {
		s.apps[a.ID] = a
	}
	return f, false, nil
}

func (s *store) Application(_ context.Context, id string) (declaration.Application, error) {
	if a, ok := s.apps[id]; ok {
		return a, nil
	}
	return declaration.Application{}, domain.Errorf(domain.NotFound, "未找到该申请")
}

func (s *store) WithdrawUnforwarded(context.Context, string, string, time.Time) (bool, error) {
	return false, errors.New("not used")
}

func (s *store) SetStatus(_ context.Context, id string, st declaration.Status, _ string, _ []acceptance.Material, _ time.Time) error {
	a := s.apps[id]
	a.State.Status = st
	s.apps[id] = a
	return nil
}

func (s *store) PutMaterial(_ context.Context, f declaration.MaterialFile) error {
	s.materials[f.Hash] = true
	return nil
}

func (s *store) MissingMaterials(_ context.Context, hashes []string) ([]string, error) {
	var out []string
	for _, h := range hashes {
		if !s.materials[h] {
			out = append(out, h)
		}
	}
	return out, nil
}

func (s *store) Material(context.Context, string) (declaration.MaterialFile, error) {
	return declaration.MaterialFile{}, errors.New("not used")
}

func (s *store) SaveDraft(_ context.Context, d declaration.Draft) error {
	s.drafts[d.ApplicantRef+"/"+d.Code] = d
	return nil
}

func (s *store) Draft(_ context.Context, ref, code string) (declaration.Draft, error) {
	if d, ok := s.drafts[ref+"/"+code]; ok {
		return d, nil
	}
	return declaration.Draft{}, domain.Errorf(domain.NotFound, "未找到该草稿")
}

func (s *store) Drafts(context.Context, string, time.Time) ([]declaration.Draft, error) {
	return nil, nil
}

func (s *store) DeleteDraft(_ context.Context, ref, code string) error {
	delete(s.drafts, ref+"/"+code)
	return nil
}
