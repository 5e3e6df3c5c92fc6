package catalog

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Bundle is one "thing" (一件事) that several matters do together: the
// applicant files once, with one form and one set of materials (一套材料),
// and every packaged matter is accepted from it (打包办). The ten of the
// 快办行动 — 企业招用员工, 失业, 职工退休… — are in catalog.json.
//
// A bundle is defined by the matters it packages; its form, materials,
// channels and time limit are derived from theirs (see BundleView), so they
// can never drift apart. Bundles use the matters' base forms.
type Bundle struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Applicant   ApplicantKind `json:"applicant"`
	Matters     []string      `json:"matters"`
	// FieldLabels relabels fields of the merged form, by key, where the
	// label of the first matter asking does not suit the bundle ("受伤职工姓名"
	// in a bundle about a death).
	FieldLabels map[string]string `json:"fieldLabels,omitempty"`
	Version     int64             `json:"version,omitzero"`
	UpdatedAt   time.Time         `json:"updatedAt,omitzero"`
}

// clone returns a deep copy of b.
func (b Bundle) clone() Bundle {
	b.Matters = slices.Clone(b.Matters)
	b.FieldLabels = maps.Clone(b.FieldLabels)
	return b
}

// BundleView is a bundle as applicants see it, with everything derived from
// its matters.
type BundleView struct {
	Bundle
	Packaged []Summary        `json:"packaged"` // the packaged matters, in the bundle's order
	Channels []domain.Channel `json:"channels"` // where every packaged matter can be filed
	// Fields is the merged form: each key once, required when any matter
	// requires it.
	Fields []Field `json:"fields"`
	// Materials is the one set of materials: each code once, accepted in the
	// formats and size every matter accepts, replaceable by a commitment
	// only if every matter allows it.
	Materials []Material `json:"materials"`
	// Limits are the longest of the matters', which are handled side by side.
	Limits Limits `json:"limits"`
}

// clone returns a deep copy of v.
func (v BundleView) clone() BundleView {
	v.Bundle = v.Bundle.clone()
	v.Packaged = slices.Clone(v.Packaged)
	for i := range v.Packaged {
		v.Packaged[i].Channels = slices.Clone(v.Packaged[i].Channels)
		v.Packaged[i].Situations = slices.Clone(v.Packaged[i].Situations)
	}
	v.Channels = slices.Clone(v.Channels)
	v.Fields = cloneFields(v.Fields)
	v.Materials = cloneMaterials(v.Materials)
	return v
}

// checkBundle checks b alone.
func checkBundle(p problems, b Bundle) {
	if !ValidBundleCode(b.Code) {
		p.add("code", "打包事项编码应为 bundle.事项 形式的小写英文，例如 bundle.hire_staff")
	}
	checkLength(p, "name", "一件事名称", b.Name, maxNameLen, true)
	checkLength(p, "description", "一件事说明", b.Description, maxTextLen, false)
	if b.Applicant != Person && b.Applicant != Unit {
		p.add("applicant", "申请人类型应为 person（个人）或 unit（单位）")
	}
	if len(b.Matters) < 2 {
		p.add("matters", "一件事至少打包两个事项")
	}
	checkCodeList(p, "matters", "", b.Matters)
}

// viewBundle derives b's view from its matters, reporting the matters that
// are missing or cannot be merged. owners maps each merged field key to the
// matters that ask for it.
func viewBundle(p problems, b Bundle, matters map[string]Matter) (v BundleView, owners map[string][]string) {
	v = BundleView{Bundle: b.clone()}
	owners = map[string][]string{}
	channels := map[domain.Channel]int{}
	for i, code := range b.Matters {
		m, ok := matters[code]
		switch {
		case !ok:
			p.add(fmt.Sprintf("matters[%d]", i), "事项“%s”不存在", code)
			continue
		case m.Applicant != b.Applicant:
			p.add(fmt.Sprintf("matters[%d]", i), "事项“%s”的申请人类型与一件事不一致", m.Name)
		}
		v.Packaged = append(v.Packaged, m.summary())
		for _, c := range m.Channels {
			channels[c]++
		}
		v.Fields = mergeFields(p, v.Fields, m, owners)
		v.Materials = mergeMaterials(p, v.Materials, m)
		v.Limits = longer(v.Limits, m.Limits, i == 0)
	}
	relabel(p, v.Fields, b.FieldLabels)
	for _, c := range domain.Channels {
		if channels[c] == len(b.Matters) {
			v.Channels = append(v.Channels, c)
		}
	}
	return v, owners
}

// relabel applies a bundle's labels to its merged fields.
func relabel(p problems, fields []Field, labels map[string]string) {
	for _, key := range sortedKeys(labels) {
		i := slices.IndexFunc(fields, func(f Field) bool { return f.Key == key })
		if i < 0 {
			p.add("fieldLabels."+key, "打包的事项中没有字段“%s”", key)
			continue
		}
		checkLength(p, "fieldLabels."+key, "字段名称", labels[key], maxLabelLen, true)
		fields[i].Label = labels[key]
	}
}

// mergeFields adds m's base fields to the merged form.
func mergeFields(p problems, merged []Field, m Matter, owners map[string][]string) []Field {
	for _, f := range m.Fields {
		owners[f.Key] = append(owners[f.Key], m.Code)
		i := slices.IndexFunc(merged, func(g Field) bool { return g.Key == f.Key })
		if i < 0 {
			merged = append(merged, cloneFields([]Field{f})...)
			continue
		}
		g := &merged[i]
		if g.Type != f.Type || !slices.Equal(g.Options, f.Options) || g.Pattern != f.Pattern {
			p.add("matters", "字段“%s”在事项“%s”中的类型、选项或格式要求与其他事项不同，无法合并为一张表", f.Key, m.Name)
		}
		g.Required = g.Required || f.Required
		g.Min, g.Max = tighter(g.Min, f.Min, true), tighter(g.Max, f.Max, false)
	}
	return merged
}

// tighter returns the stricter of two bounds: the larger minimum or the
// smaller maximum.
func tighter(a, b *float64, isMin bool) *float64 {
	switch {
	case a == nil:
		return cloneBound(b)
	case b == nil:
		return a
	case isMin == (*b > *a):
		return cloneBound(b)
	}
	return a
}

// mergeMaterials adds m's materials to the one set.
func mergeMaterials(p problems, merged []Material, m Matter) []Material {
	for _, mt := range m.Materials {
		i := slices.IndexFunc(merged, func(g Material) bool { return g.Code == mt.Code })
		if i < 0 {
			merged = append(merged, cloneMaterials([]Material{mt})...)
			continue
		}
		g := &merged[i]
		g.Formats = slices.DeleteFunc(g.Formats, func(f string) bool { return !slices.Contains(mt.Formats, f) })
		g.MaxKB = min(g.MaxKB, mt.MaxKB)
		g.Optional = g.Optional && mt.Optional
		if mt.Commitment == "" {
			g.Commitment = ""
		}
		if g.Name != mt.Name || len(g.Formats) == 0 {
			p.add("matters", "材料“%s”在事项“%s”中的名称或文件格式与其他事项不一致，无法合并为一套材料", mt.Code, m.Name)
		}
	}
	return merged
}

// longer returns the longer of two matters' limits.
func longer(a, b Limits, first bool) Limits {
	if first {
		return b
	}
	return Limits{
		PromisedDays:  max(a.PromisedDays, b.PromisedDays),
		StatutoryDays: max(a.StatutoryDays, b.StatutoryDays),
		Instant:       a.Instant && b.Instant,
	}
}
