package catalog

import (
	"slices"

	"github.com/dandong-hrss/hrss/domain"
)

// Situation is one variant of a matter (情形), such as "委托他人代办" or
// "单位名称变更": the same matter, but some fields and materials added or
// dropped. A field or material may be redefined by removing and adding the
// same key or code.
type Situation struct {
	Code            string     `json:"code"`
	Name            string     `json:"name"`
	Description     string     `json:"description,omitempty"`
	AddFields       []Field    `json:"addFields,omitempty"`
	RemoveFields    []string   `json:"removeFields,omitempty"`
	AddMaterials    []Material `json:"addMaterials,omitempty"`
	RemoveMaterials []string   `json:"removeMaterials,omitempty"`
}

func (s Situation) clone() Situation {
	s.AddFields = cloneFields(s.AddFields)
	s.RemoveFields = slices.Clone(s.RemoveFields)
	s.AddMaterials = cloneMaterials(s.AddMaterials)
	s.RemoveMaterials = slices.Clone(s.RemoveMaterials)
	return s
}

// Form is what an applicant fills and uploads for a matter in one
// situation: the base form with the situation's changes applied.
type Form struct {
	MatterCode    string     `json:"matterCode"`
	MatterVersion int64      `json:"matterVersion"`
	Situation     string     `json:"situation,omitempty"` // "" for the base form
	Fields        []Field    `json:"fields"`
	Materials     []Material `json:"materials"`
}

// Form returns the matter's form in the given situation; "" is the base
// form. An unknown situation is an Invalid *domain.Error on "situation".
// The result shares nothing with m.
func (m Matter) Form(situation string) (Form, error) {
	f := Form{MatterCode: m.Code, MatterVersion: m.Version, Situation: situation}
	if situation == "" {
		f.Fields, f.Materials = cloneFields(m.Fields), cloneMaterials(m.Materials)
		return f, nil
	}
	s, ok := m.Situation(situation)
	if !ok {
		return Form{}, domain.InvalidFields(domain.FieldError{Field: "situation", Message: "所选办理情形不存在，请重新选择"})
	}
	for _, fd := range m.Fields {
		if !slices.Contains(s.RemoveFields, fd.Key) {
			f.Fields = append(f.Fields, fd)
		}
	}
	f.Fields = cloneFields(append(f.Fields, s.AddFields...))
	for _, mt := range m.Materials {
		if !slices.Contains(s.RemoveMaterials, mt.Code) {
			f.Materials = append(f.Materials, mt)
		}
	}
	f.Materials = cloneMaterials(append(f.Materials, s.AddMaterials...))
	return f, nil
}
