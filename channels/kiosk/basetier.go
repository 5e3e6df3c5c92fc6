package kiosk

import (
	"context"
	"slices"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// The matters of a base-tier change (养老个人基数档次修改): the change itself,
// and the flexible-employment registration it presupposes, which the
// business core shows done when it offers tiers at all.
const (
	baseTierMatter       = "pension.base_tier_change"
	flexibleRegistration = "insured.flexible_registration"
)

// BaseTierView is the 养老个人缴费基数档次 screen: the tiers a flexible worker
// may choose, what each costs a month, and any change already under way.
type BaseTierView struct {
	Title          string    `json:"title"`
	Summary        []Field   `json:"summary"`
	Columns        []Column  `json:"columns"`
	Rows           []TierRow `json:"rows"`
	EffectiveMonth string    `json:"effectiveMonth" doc:"变更后的档次自该月起生效（次月生效），如 2025年7月"`
	Notice         string    `json:"notice,omitempty"`
}

// TierRow is one tier.
type TierRow struct {
	Percent    int    `json:"percent"`
	Tier       string `json:"tier"`    // 缴费基数150%
	Base       string `json:"base"`    // the monthly base
	Monthly    string `json:"monthly"` // the monthly pension contribution
	Current    bool   `json:"current"`
	Selectable bool   `json:"selectable" doc:"可选择变更为此档次"`
}

var tierColumns = []Column{{"tier", "缴费档次"}, {"base", "月缴费基数"}, {"monthly", "月缴费额"}}

func (c *Channel) baseTiers(ctx context.Context, s Session, _ *struct{}) (BaseTierView, error) {
	o, err := c.core.BaseTiers(ctx, s.Person)
	if err != nil {
		return BaseTierView{}, err
	}
	allowed, err := c.tierChoices()
	if err != nil {
		return BaseTierView{}, err
	}
	v := BaseTierView{Title: "养老个人缴费基数档次", Columns: tierColumns, Rows: make([]TierRow, 0, len(o.Tiers)),
		EffectiveMonth: monthCN(c.effectiveMonth())}
	v.Summary = []Field{{"缴费年度", yearLabel(o.Year)}, {"全省职工月平均工资", money(o.AverageWage)}, {"当前档次", tierLabel(o.Current)}}
	for _, t := range o.Tiers {
		cur := t.Percent == o.Current
		v.Rows = append(v.Rows, TierRow{Percent: t.Percent, Tier: tierLabel(t.Percent), Base: money(t.Base), Monthly: money(t.Monthly),
			Current: cur, Selectable: !cur && slices.Contains(allowed, t.Percent)})
		if cur {
			v.Summary = append(v.Summary, Field{"当前月缴费基数", money(t.Base)}, Field{"当前月缴费额", money(t.Monthly)})
		}
	}
	v.Notice, err = c.pendingNotice(ctx, s, baseTierMatter, "缴费基数档次变更")
	return v, err
}

// tierLabel writes a tier: 缴费基数150%.
func tierLabel(percent int) string {
	if percent == 0 {
		return none
	}
	return "缴费基数" + strconv.Itoa(percent) + "%"
}

// effectiveMonth is the month a change made now takes effect: the next.
func (c *Channel) effectiveMonth() insured.Month { return insured.MonthOf(c.now()).AddMonths(1) }

// tierChoices are the tiers the catalog's form of the change accepts. The
// core may offer more (70%, 90%); only those both offer can be filed.
func (c *Channel) tierChoices() ([]int, error) {
	f, err := c.catalog.Form(baseTierMatter, "")
	if err != nil {
		return nil, err
	}
	var out []int
	for _, field := range f.Fields {
		if field.Key != "baseTier" {
			continue
		}
		for _, o := range field.Options {
			if n, err := strconv.Atoi(o.Value); err == nil {
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// pendingNotice warns of an undecided application of the matter, so the
// holder does not file it twice; "" when there is none.
func (c *Channel) pendingNotice(ctx context.Context, s Session, matter, what string) (string, error) {
	views, _, err := c.progress.ByApplicant(ctx, applicantRef(s), "", scanLimit)
	if err != nil {
		return "", err
	}
	for _, v := range views {
		if v.MatterCode == matter && !v.Final {
			return "您有一笔" + what + "申请正在办理（申请编号" + v.ApplicationID + "，" + v.StatusLabel + "），办结前请勿重复申请", nil
		}
	}
	return "", nil
}

type baseTierInput struct {
	IdempotencyKey string `header:"Idempotency-Key" minLength:"8" maxLength:"64" pattern:"^[A-Za-z0-9_:-]+$" patternDescription:"8到64位字母、数字、“_”“:”或“-”" doc:"幂等键：每次提交生成一个（如 UUID），重试时保持不变；同一幂等键只办理一次"`
	Body           struct {
		Percent int `json:"percent" minimum:"1" maximum:"1000" doc:"新的缴费档次（全省职工月平均工资的百分比），从可选档次中选择"`
	}
}

// changeBaseTier files the change of tier as an application of the
// catalog's base-tier matter. The kiosk does not set the tier in the
// business core itself: the counter core accepts the application (即办,
// at once in the embedded default's auto-staff) and its staff apply the
// tier, from the next month; the holder follows it on the progress page.
// Errors: Invalid naming percent for a tier not offered; Rejected for the
// tier in force or someone not in flexible employment (the core says so).
func (c *Channel) changeBaseTier(ctx context.Context, s Session, in *baseTierInput) (ApplicationView, error) {
	o, err := c.core.BaseTiers(ctx, s.Person)
	if err != nil {
		return ApplicationView{}, err
	}
	allowed, err := c.tierChoices()
	if err != nil {
		return ApplicationView{}, err
	}
	p := in.Body.Percent
	switch {
	case !o.Offers(p) || !slices.Contains(allowed, p):
		return ApplicationView{}, domain.InvalidFields(domain.FieldError{Field: "percent", Message: "请从可选的缴费档次中选择"})
	case p == o.Current:
		return ApplicationView{}, domain.Errorf(domain.Rejected, "您当前已是%s，无需变更", tierLabel(p))
	}
	person, err := c.core.Person(ctx, s.Person)
	if err != nil {
		return ApplicationView{}, err
	}
	form := map[string]any{"name": person.Name, "idNumber": s.Person.Raw(), "baseTier": strconv.Itoa(p),
		"effectiveMonth": c.effectiveMonth().String()}
	return c.file(ctx, s, filing{matter: baseTierMatter, form: form, key: in.IdempotencyKey, prereqs: []string{flexibleRegistration}})
}
