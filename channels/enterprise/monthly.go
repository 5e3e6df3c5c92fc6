package enterprise

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/progress"
)

// The matters of the monthly declarations: enterprises declare and are
// assessed (月申报核定); public institutions (机关事业单位) declare through
// their own matter.
const (
	monthlyMatter     = "unit.monthly_assessment"
	institutionMatter = "institution.monthly_declaration"
	wageChangeMatter  = "unit.wage_change"
)

type entWageChangeIn struct {
	Name     string `json:"name" minLength:"2" maxLength:"30" doc:"职工姓名"`
	IDNumber string `json:"idNumber" minLength:"18" maxLength:"18" doc:"职工身份证号码"`
	Wage     int64  `json:"wage" minimum:"1" maximum:"10000000" doc:"调整后月缴费工资（分）"`
}

type entMonthlyIn struct {
	UnitPath
	KeyHeader
	Body struct {
		AssessMonth string            `json:"assessMonth" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" doc:"核定月份，如 2026-01"`
		StaffCount  int               `json:"staffCount" minimum:"0" maximum:"100000" doc:"本月缴费人数"`
		TotalWage   int64             `json:"totalWage" minimum:"0" doc:"本月缴费工资总额（分）"`
		WageChanges []entWageChangeIn `json:"wageChanges,omitempty" maxItems:"500" doc:"本月职工工资调整，每人一项"`
	}
}

// declareMonthly returns the handler of one monthly declaration matter:
// the declaration itself and each wage change of the month, all checked
// before any is filed.
func (ch *Channel) declareMonthly(matter string) func(context.Context, *entMonthlyIn) (*entFiledOut, error) {
	return func(ctx context.Context, in *entMonthlyIn) (*entFiledOut, error) {
		s, err := ch.unitSession(ctx, in.UnitPath)
		if err != nil {
			return nil, err
		}
		if err := ch.checkUnitType(ctx, s, matter); err != nil {
			return nil, err
		}
		b := in.Body
		form := map[string]any{"assessMonth": b.AssessMonth, "staffCount": b.StaffCount, "totalWage": b.TotalWage}
		changes, err := ch.checkWageChanges(ctx, s, b.AssessMonth, b.WageChanges)
		if err := errors.Join(err, ch.cfg.Catalog.ValidateForm(matter, "", form)); err != nil {
			return nil, firstOrJoined(err)
		}
		filed, err := ch.file(ctx, s, filing{matter: matter, form: form, key: subKey(in.IdempotencyKey, "M", 0)})
		if err != nil {
			return nil, err
		}
		apps := filed.Applications
		for i, c := range changes {
			f, err := ch.file(ctx, s, filing{matter: wageChangeMatter, form: c, key: subKey(in.IdempotencyKey, "M", i+1)})
			if err != nil {
				return nil, err
			}
			apps = append(apps, f.Applications...)
		}
		out := &entFiledOut{}
		out.Body.Applications = filedOf(apps)
		return out, nil
	}
}

// checkUnitType keeps each unit to its own monthly matter.
func (ch *Channel) checkUnitType(ctx context.Context, s account.Session, matter string) error {
	u, err := ch.cfg.Core.Unit(ctx, s.UnitCode)
	if err != nil {
		return err
	}
	switch {
	case matter == institutionMatter && u.Type != insured.Institution:
		return domain.Errorf(domain.Rejected, "机关事业单位申报仅限机关事业单位办理，企业请办理月申报核定")
	case matter == monthlyMatter && u.Type == insured.Institution:
		return domain.Errorf(domain.Rejected, "机关事业单位请通过“机关事业单位申报”办理")
	}
	return nil
}

// checkWageChanges checks each change — its form, the person on the
// unit's roll under that name, no person twice — and returns the forms to
// file. Errors: Invalid naming wageChanges[i].field; Unavailable.
func (ch *Channel) checkWageChanges(ctx context.Context, s account.Session, month string, in []entWageChangeIn) ([]map[string]any, error) {
	if len(in) == 0 {
		return nil, nil
	}
	roll, err := ch.roll(ctx, s.UnitCode)
	if err != nil {
		return nil, err
	}
	var fields []domain.FieldError
	add := func(i int, field, msg string) {
		fields = append(fields, domain.FieldError{Field: fmt.Sprintf("wageChanges[%d].%s", i, field), Message: msg})
	}
	forms := make([]map[string]any, 0, len(in))
	seen := map[string]bool{}
	for i, c := range in {
		id, err := domain.ParseIDNumber(c.IDNumber)
		if err != nil {
			add(i, "idNumber", fieldMessage(err))
			continue
		}
		m, on := roll[id.Raw()]
		switch {
		case !on:
			add(i, "idNumber", "该职工不在本单位参保名册中")
		case m.Name != c.Name:
			add(i, "name", "姓名与本单位参保名册中的不一致")
		case seen[id.Raw()]:
			add(i, "idNumber", "同一职工只能调整一次")
		}
		seen[id.Raw()] = true
		form := map[string]any{"name": c.Name, "idNumber": id.Raw(), "wage": c.Wage, "effectiveMonth": month}
		if err := ch.cfg.Catalog.ValidateForm(wageChangeMatter, "", form); err != nil {
			for _, f := range fieldsOf(err) {
				add(i, f.Field, f.Message)
			}
		}
		forms = append(forms, form)
	}
	if fields != nil {
		return nil, domain.InvalidFields(fields...)
	}
	return forms, nil
}

// fieldsOf returns the field errors of an Invalid error.
func fieldsOf(err error) []domain.FieldError {
	var de *domain.Error
	if errors.As(err, &de) {
		if len(de.Fields) > 0 {
			return de.Fields
		}
		return []domain.FieldError{{Field: "form", Message: de.Message}}
	}
	return nil
}

// firstOrJoined merges the Invalid errors of err into one, so every field
// at fault is reported at once; any other error is returned as it is.
func firstOrJoined(err error) error {
	var fields []domain.FieldError
	for _, e := range unjoin(err) {
		var de *domain.Error
		if !errors.As(e, &de) || de.Code != domain.Invalid {
			return e
		}
		fields = append(fields, fieldsOf(e)...)
	}
	return domain.InvalidFields(fields...)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

type entPreviewIn struct {
	UnitPath
	Month string `path:"month" pattern:"^[0-9]{4}-(0[1-9]|1[0-2])$" doc:"核定月份，如 2026-01"`
}

type entPreviewOut struct {
	Body struct {
		AssessMonth  string `json:"assessMonth"`
		OnRoll       int    `json:"onRoll" doc:"名册中在职人数"`
		RollWage     int64  `json:"rollWage" doc:"名册中在职人员缴费基数合计（分）"`
		RollWageYuan string `json:"rollWageYuan" doc:"同上（元）"`
		Added        int    `json:"added" doc:"本月提交的增员（含转入）申请数，未通过或已撤回的不计"`
		Removed      int    `json:"removed" doc:"本月提交的减员（含转出）申请数，未通过或已撤回的不计"`
		WageChanges  int    `json:"wageChanges" doc:"本月提交的工资调整申请数"`
		StaffCount   int    `json:"staffCount" doc:"建议申报的本月缴费人数：在职人数 + 增员 − 减员"`
	}
}

// preview prepares a monthly declaration: the roll as the core has it and
// the staff movements the unit filed in the month, which the core has not
// all taken in yet.
func (ch *Channel) preview(ctx context.Context, in *entPreviewIn) (*entPreviewOut, error) {
	s, err := ch.unitSession(ctx, in.UnitPath)
	if err != nil {
		return nil, err
	}
	start, _ := time.ParseInLocation("2006-01", in.Month, domain.Beijing)
	roll, err := ch.roll(ctx, s.UnitCode)
	if err != nil {
		return nil, err
	}
	out := &entPreviewOut{}
	b := &out.Body
	b.AssessMonth = in.Month
	for _, m := range roll {
		if m.Status == insured.Employed {
			b.OnRoll++
			b.RollWage += int64(m.Base)
		}
	}
	b.RollWageYuan = domain.Fen(b.RollWage).Yuan()
	views, err := ch.matterViews(ctx, s.UnitRef, nil, start, start.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if cancelled(v.Status) {
			continue
		}
		switch v.MatterCode {
		case "unit.staff_add", "unit.staff_transfer_in":
			b.Added++
		case "unit.staff_remove", "unit.staff_transfer_out":
			b.Removed++
		case wageChangeMatter:
			b.WageChanges++
		}
	}
	b.StaffCount = max(b.OnRoll+b.Added-b.Removed, 0)
	return out, nil
}

// cancelled reports statuses that undo a filing: it will not take effect.
func cancelled(s declaration.Status) bool {
	return s == declaration.StatusRefused || s == declaration.Status(acceptance.StatusRejected) ||
		s == declaration.Status(acceptance.StatusWithdrawn) || s == declaration.Status(acceptance.StatusTerminated)
}

// zeroTime leaves a bound of matterViews open.
var zeroTime time.Time

// maxScanPages bounds how far back a filtered list looks: 5,000 of the
// unit's most recent applications.
const maxScanPages = 50

// matterViews lists the unit's applications of the given matters (all when
// codes is empty) submitted in [from, to) (any time when from is zero),
// newest first, by walking its application list.
func (ch *Channel) matterViews(ctx context.Context, ref string, codes []string, from, to time.Time) ([]progress.View, error) {
	var out []progress.View
	before := ""
	for range maxScanPages {
		views, next, err := ch.cfg.Progress.ByApplicant(ctx, ref, before, 100)
		if err != nil {
			return nil, err
		}
		for _, v := range views {
			if !from.IsZero() && v.SubmittedAt.Before(from) {
				return out, nil
			}
			inRange := to.IsZero() || v.SubmittedAt.Before(to)
			if inRange && (len(codes) == 0 || slices.Contains(codes, v.MatterCode)) {
				out = append(out, v)
			}
		}
		if next == "" {
			break
		}
		before = next
	}
	return out, nil
}

type entDeclarationsOut struct {
	Body struct {
		Year         int                 `json:"year"`
		Assessments  []entAssessmentOut  `json:"assessments" doc:"核定及缴费情况（社保经办系统）"`
		Applications []entApplicationOut `json:"applications" doc:"本年提交的申报及办理进度"`
	}
}

// declarations returns the handler listing a monthly matter's
// applications of a year with their progress, beside the core's
// assessments of the year and what was paid against them.
func (ch *Channel) declarations(matter string) func(context.Context, *entYearIn) (*entDeclarationsOut, error) {
	return func(ctx context.Context, in *entYearIn) (*entDeclarationsOut, error) {
		s, err := ch.unitSession(ctx, in.UnitPath)
		if err != nil {
			return nil, err
		}
		year := in.Year
		if year == 0 {
			year = ch.cfg.Now().In(domain.Beijing).Year()
		}
		from := time.Date(year, 1, 1, 0, 0, 0, 0, domain.Beijing)
		views, err := ch.matterViews(ctx, s.UnitRef, []string{matter}, from, from.AddDate(1, 0, 0))
		if err != nil {
			return nil, err
		}
		list, err := ch.assessmentsOf(ctx, s.UnitCode, year)
		if err != nil {
			return nil, err
		}
		out := &entDeclarationsOut{}
		out.Body.Year, out.Body.Assessments = year, list
		out.Body.Applications = make([]entApplicationOut, 0, len(views))
		for _, v := range views {
			out.Body.Applications = append(out.Body.Applications, applicationOf(v))
		}
		return out, nil
	}
}
