package catalog

import (
	"slices"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// ApplicantKind says who files a matter: a citizen or an employer unit. The
// values are those of acceptance.ApplicantKind, so a matter's kind converts
// directly when an application is handed to the counter core.
type ApplicantKind string

// The applicant kinds.
const (
	Person ApplicantKind = "person" // 个人: a citizen for themselves or a relative
	Unit   ApplicantKind = "unit"   // 单位: an employer, through its clerk
)

// Label is the kind's Chinese name.
func (k ApplicantKind) Label() string {
	switch k {
	case Person:
		return "个人"
	case Unit:
		return "单位"
	}
	return "未知"
}

// MaxInstantMinutes is how long an instant matter (即办件) may take from
// receiving the materials to completion, per the 快办行动 target.
const MaxInstantMinutes = 30

// Limits are a matter's time limits in working days (工作日). The statutory
// limit (法定时限) is what the regulations allow; the promised limit (承诺时限)
// is what the bureau commits to, and for the high-frequency matters it is at
// most half the statutory one (提速50%以上). An instant matter (即办) is done
// at the counter within MaxInstantMinutes and promises 0 days.
type Limits struct {
	PromisedDays  int  `json:"promisedDays"`
	StatutoryDays int  `json:"statutoryDays"`
	Instant       bool `json:"instant,omitzero"`
}

// Matter is one service matter (服务事项) of the bureau's catalogue (事项库):
// what a citizen or unit can apply for, where, with which form and
// materials, and how fast it is done. Definitions live in catalog.json and
// may be changed by administrators; Version counts the changes so a draft or
// an application can record which definition it was filled against.
type Matter struct {
	Code        string           `json:"code"`
	Name        string           `json:"name"`
	Description string           `json:"description"`
	Applicant   ApplicantKind    `json:"applicant"`
	Channels    []domain.Channel `json:"channels"`
	Fields      []Field          `json:"fields"`
	Materials   []Material       `json:"materials"`
	Limits      Limits           `json:"limits"`
	// HighFrequency marks the 25 high-frequency matters (高频事项) that the
	// 快办行动 speeds up; monitoring reports them apart.
	HighFrequency bool `json:"highFrequency,omitzero"`
	// Prerequisites must be completed before this matter can be (前置事项);
	// the counter checks them on acceptance (关联事项受理).
	Prerequisites []string `json:"prerequisites,omitempty"`
	// Related are matters usually filed together with this one (关联事项),
	// which channels offer next.
	Related []string `json:"related,omitempty"`
	// Situations are the variants of the matter (多情形), each adjusting the
	// base form and materials.
	Situations []Situation `json:"situations,omitempty"`
	Version    int64       `json:"version,omitzero"`
	UpdatedAt  time.Time   `json:"updatedAt,omitzero"`
}

// Offers reports whether the matter can be filed through channel c.
func (m Matter) Offers(c domain.Channel) bool { return slices.Contains(m.Channels, c) }

// Situation returns the situation with the given code.
func (m Matter) Situation(code string) (Situation, bool) {
	for _, s := range m.Situations {
		if s.Code == code {
			return s, true
		}
	}
	return Situation{}, false
}

// Clone returns a deep copy, so a caller may change it without touching the
// shared catalog.
func (m Matter) Clone() Matter {
	m.Channels = slices.Clone(m.Channels)
	m.Fields = cloneFields(m.Fields)
	m.Materials = cloneMaterials(m.Materials)
	m.Prerequisites = slices.Clone(m.Prerequisites)
	m.Related = slices.Clone(m.Related)
	m.Situations = slices.Clone(m.Situations)
	for i := range m.Situations {
		m.Situations[i] = m.Situations[i].clone()
	}
	return m
}

// Summary is what a matter list shows: everything but the form.
type Summary struct {
	Code          string           `json:"code"`
	Name          string           `json:"name"`
	Description   string           `json:"description"`
	Applicant     ApplicantKind    `json:"applicant"`
	Channels      []domain.Channel `json:"channels"`
	Limits        Limits           `json:"limits"`
	HighFrequency bool             `json:"highFrequency"`
	Situations    []SituationName  `json:"situations,omitempty"`
	Version       int64            `json:"version"`
}

// SituationName names a situation in a list.
type SituationName struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// summary returns m's list entry; it shares nothing with m.
func (m Matter) summary() Summary {
	s := Summary{
		Code: m.Code, Name: m.Name, Description: m.Description, Applicant: m.Applicant,
		Channels: slices.Clone(m.Channels), Limits: m.Limits, HighFrequency: m.HighFrequency,
		Version: m.Version,
	}
	for _, st := range m.Situations {
		s.Situations = append(s.Situations, SituationName{Code: st.Code, Name: st.Name})
	}
	return s
}
