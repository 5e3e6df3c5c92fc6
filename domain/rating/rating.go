// Package rating is the service rating of the bureau (好差评), after the
// national scheme GB/T 39734-2020: the applicant of an application rates the
// service on five levels, 非常满意 … 非常不满意, once per stage — the service
// at acceptance (受理) and the result (办结). The two bottom levels are bad
// ratings (差评); each opens a rectification (整改) that staff must take
// through call-back, verification and a fix or an explanation within a
// number of working days, unless an appeal (申诉复核) finds the rating
// unfounded, which takes it out of the statistics. Statistics by matter,
// channel, office, staff member and day feed the service monitoring
// (服务全景监控, requirements 2.5(二)). An applicant who leaves a finished
// application unrated is reminded once.
//
// The package knows applications only through the Applications port, and
// keeps its own list of finished applications to remind (fed by Completed),
// so it depends on neither declaration nor progress.
package rating

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// Level is how satisfied the applicant is, 1 (best) to 5 (worst), the five
// levels of GB/T 39734.
type Level int

// The five levels. Dissatisfied and VeryDissatisfied are bad ratings (差评).
const (
	VerySatisfied    Level = 1 // 非常满意
	Satisfied        Level = 2 // 满意
	FairlySatisfied  Level = 3 // 基本满意
	Dissatisfied     Level = 4 // 不满意
	VeryDissatisfied Level = 5 // 非常不满意
)

// Levels lists every level, best first, for forms and tables.
var Levels = []Level{VerySatisfied, Satisfied, FairlySatisfied, Dissatisfied, VeryDissatisfied}

var levelLabels = [...]string{"", "非常满意", "满意", "基本满意", "不满意", "非常不满意"}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= VerySatisfied && l <= VeryDissatisfied }

// Label returns the level's Chinese name; "" for an invalid level.
func (l Level) Label() string {
	if !l.Valid() {
		return ""
	}
	return levelLabels[l]
}

// Bad reports whether l is a bad rating (差评), which opens a rectification.
func (l Level) Bad() bool { return l == Dissatisfied || l == VeryDissatisfied }

// Stage is the point of the service a rating is about. GB/T 39734 rates the
// service at acceptance and the result; each can be rated once.
type Stage string

// The stages.
const (
	StageAccepted  Stage = "accepted"  // 受理服务: how the application was taken in
	StageCompleted Stage = "completed" // 办理结果: how it was decided, once final
)

// Stages lists every stage.
var Stages = []Stage{StageAccepted, StageCompleted}

// Label returns the stage's Chinese name; "" for an unknown stage.
func (s Stage) Label() string {
	switch s {
	case StageAccepted:
		return "受理服务"
	case StageCompleted:
		return "办理结果"
	}
	return ""
}

// Facts is what rating needs to know about an application, from the
// Applications port: who may rate it, what it is counted under, and how far
// it has got.
type Facts struct {
	ApplicationID string
	ApplicantRef  string // blind index of the applicant (person or unit)
	MatterCode    string
	MatterName    string
	Channel       domain.Channel // the channel the application came through
	Office        string         // the office that handled it (经办科室)
	Staff         string         // display name of the staff member who handled it
	Status        acceptance.Status
	AcceptedAt    time.Time // zero until the counter core accepted it
	FinishedAt    time.Time // zero until the status is final
}

// reached reports whether the application has got to stage, with the
// Chinese reason when it has not.
func (f Facts) reached(stage Stage) (bool, string) {
	switch {
	case stage == StageAccepted && f.AcceptedAt.IsZero():
		return false, "该申请尚未受理，受理后才能评价受理服务"
	case stage == StageCompleted && !f.Status.Final():
		return false, "该申请尚未办结，办结后才能评价办理结果"
	}
	return true, ""
}

// Rating is one applicant's rating of one stage of one application. It
// copies the application's matter, channel, office and staff, so statistics
// need no join and stay as they were when the rating was given.
type Rating struct {
	ID            string
	ApplicationID string
	Stage         Stage
	Level         Level
	Tags          []string // chosen reasons, like 等候时间长
	Comment       string   // free text, ID and phone numbers masked
	Channel       domain.Channel
	MatterCode    string
	MatterName    string
	Office        string
	Staff         string
	RaterRef      string // blind index of the applicant who rated
	At            time.Time
	// Excluded is set when an appeal found the rating unfounded (差评不实):
	// it is kept but no longer counted.
	Excluded bool
}

// RateInput is what an applicant sends to rate a stage of an application.
type RateInput struct {
	ApplicationID string
	Stage         Stage
	Level         Level
	Tags          []string
	Comment       string
	// RaterRef is the blind index of the signed-in applicant (privacy.IDIndex
	// of a person, privacy.UnitIndex of a unit), set by the channel from the
	// session, never from the request body.
	RaterRef string
}

// Limits on what a rating may carry.
const (
	MaxTags       = 8
	MaxTagRunes   = 20
	MaxCommentLen = 500 // characters
)

// normalize trims and checks in, returning the cleaned input or an Invalid
// error naming each wrong field.
func (in RateInput) normalize() (RateInput, error) {
	if in.RaterRef == "" {
		return in, domain.Errorf(domain.Unauthenticated, "请先登录后再评价")
	}
	in.ApplicationID = strings.TrimSpace(in.ApplicationID)
	in.Comment = domain.MaskText(strings.TrimSpace(in.Comment))
	in.Tags = cleanTags(in.Tags)
	var bad []domain.FieldError
	add := func(field, msg string) { bad = append(bad, domain.FieldError{Field: field, Message: msg}) }
	if in.ApplicationID == "" {
		add("applicationId", "请选择要评价的办件")
	}
	if in.Stage.Label() == "" {
		add("stage", "请选择评价受理服务还是办理结果")
	}
	if !in.Level.Valid() {
		add("level", "请选择评价等级：非常满意、满意、基本满意、不满意或非常不满意")
	}
	if len(in.Tags) > MaxTags {
		add("tags", "评价标签最多选择8个")
	}
	for _, t := range in.Tags {
		if utf8.RuneCountInString(t) > MaxTagRunes {
			add("tags", "每个评价标签不超过20个字")
			break
		}
	}
	if utf8.RuneCountInString(in.Comment) > MaxCommentLen {
		add("comment", "评价内容请不超过500字")
	}
	if in.Level.Bad() && len(in.Tags) == 0 && in.Comment == "" {
		add("comment", "请选择或填写不满意的原因，便于我们核实整改")
	}
	if len(bad) > 0 {
		return in, domain.InvalidFields(bad...)
	}
	return in, nil
}

// cleanTags trims tags and drops empty and repeated ones, keeping order.
func cleanTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		t = domain.MaskText(strings.TrimSpace(t))
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// Day is the Beijing date of t as "2006-01-02", the day a rating is counted
// under in the statistics.
func Day(t time.Time) string { return t.In(domain.Beijing).Format(time.DateOnly) }
