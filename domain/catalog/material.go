package catalog

import "slices"

// Material is one supporting document of a matter's checklist (申请材料),
// uploaded online or scanned at the counter (影像扫描).
type Material struct {
	// Code names the material within the matter; matters asking for the same
	// document use the same code (id_card, labor_contract), which is how a
	// bundle collects "one set of materials" (一套材料).
	Code    string   `json:"code"`
	Name    string   `json:"name"`
	Formats []string `json:"formats"`   // allowed file types: pdf, ofd, jpg, jpeg, png
	MaxKB   int      `json:"maxSizeKB"` // largest accepted file, in KiB
	// Optional materials are asked for only in some cases, told by Note.
	Optional bool   `json:"optional,omitzero"`
	Note     string `json:"note,omitempty"`
	// Commitment, when set, is the pledge the applicant may sign instead of
	// providing the material (告知承诺制), shown to them word for word. A
	// false pledge is handled after the fact by the bureau's checks.
	Commitment string `json:"commitment,omitempty"`
}

// AcceptsCommitment reports whether a signed commitment may replace the
// material.
func (m Material) AcceptsCommitment() bool { return m.Commitment != "" }

// Formats a material may be accepted in: scans and photos, and the OFD
// format of Chinese electronic documents.
var materialFormats = map[string]bool{"pdf": true, "ofd": true, "jpg": true, "jpeg": true, "png": true}

// maxMaterialKB bounds any material's size limit at 50 MiB.
const maxMaterialKB = 50 * 1024

// cloneMaterials deep-copies materials.
func cloneMaterials(ms []Material) []Material {
	out := slices.Clone(ms)
	for i := range out {
		out[i].Formats = slices.Clone(out[i].Formats)
	}
	return out
}
