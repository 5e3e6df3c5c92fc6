package bff

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
)

// catalogRules adapts the matter catalog to what declarations need of it.
type catalogRules struct {
	cat *catalog.Service

	mu       sync.Mutex
	keysETag string
	allKeys  map[string]bool // every field key of any matter, for the catalog version keysETag
}

var _ declaration.MatterRules = (*catalogRules)(nil)

func (r *catalogRules) Matter(_ context.Context, code, situation string) (declaration.Matter, error) {
	m, err := r.cat.Matter(code)
	if err != nil {
		return declaration.Matter{}, err
	}
	form, err := r.cat.Form(code, situation)
	if err != nil {
		return declaration.Matter{}, err
	}
	out := declaration.Matter{Code: m.Code, Name: m.Name,
		ApplicantKinds: []acceptance.ApplicantKind{acceptance.ApplicantKind(m.Applicant)},
		Commitments:    map[string]string{}}
	for _, mat := range form.Materials {
		if !mat.Optional {
			out.RequiredMaterials = append(out.RequiredMaterials, mat.Name)
		}
		if mat.Commitment != "" {
			out.Commitments[mat.Name] = mat.Commitment
		}
	}
	return out, nil
}

func (r *catalogRules) Bundle(_ context.Context, code string) (declaration.BundleRule, error) {
	b, err := r.cat.Bundle(code)
	if err != nil {
		return declaration.BundleRule{}, err
	}
	rule := declaration.BundleRule{Code: b.Code, Name: b.Name}
	for _, m := range b.Packaged {
		rule.Matters = append(rule.Matters, m.Code)
	}
	return rule, nil
}

// ValidateForm checks the part of a form that belongs to the matter. A
// bundle's one form carries the fields of all its matters, so keys that
// are another matter's fields are left to that matter; a key that is no
// matter's field at all is still refused.
func (r *catalogRules) ValidateForm(_ context.Context, code, situation string, raw json.RawMessage) error {
	data := map[string]any{}
	if len(bytes.TrimSpace(raw)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&data); err != nil {
			return domain.InvalidFields(domain.FieldError{Field: "form", Message: "表单内容不是有效的 JSON 对象"})
		}
	}
	form, err := r.cat.Form(code, situation)
	if err != nil {
		return err
	}
	own := make(map[string]bool, len(form.Fields))
	for _, f := range form.Fields {
		own[f.Key] = true
	}
	known := r.fieldKeys()
	for k := range data {
		if !own[k] && known[k] {
			delete(data, k)
		}
	}
	return r.cat.ValidateForm(code, situation, data)
}

// fieldKeys is the set of every field key in the catalog, rebuilt when the
// catalog changes.
func (r *catalogRules) fieldKeys() map[string]bool {
	c := r.cat.Catalog()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.allKeys != nil && r.keysETag == c.ETag() {
		return r.allKeys
	}
	keys := map[string]bool{}
	for _, s := range r.cat.List(catalog.Filter{}) {
		if m, ok := c.Matter(s.Code); ok {
			for _, f := range m.Fields {
				keys[f.Key] = true
			}
			for _, sit := range m.Situations {
				if form, err := r.cat.Form(m.Code, sit.Code); err == nil {
					for _, f := range form.Fields {
						keys[f.Key] = true
					}
				}
			}
		}
	}
	r.keysETag, r.allKeys = c.ETag(), keys
	return keys
}
