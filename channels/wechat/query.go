package wechat

import (
	"context"
	"net/http"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/danielgtaylor/huma/v2"
)

// WxInsuredInput asks for the overview of the follower or a relative.
type WxInsuredInput struct {
	ActFor
}

// WxCoverageItem is one insurance type of the overview.
type WxCoverageItem struct {
	Insurance string `json:"insurance" doc:"养老保险、医疗保险…"`
	Status    string `json:"status" doc:"参保缴费、暂停缴费、终止参保"`
	Unit      string `json:"unit" doc:"参保单位，个人参保时为“个人参保”"`
	Since     string `json:"since" doc:"参保起始年月"`
	Base      string `json:"base" doc:"月缴费基数，未缴费时为—"`
}

// WxInsuredOutput is the 参保信息 page.
type WxInsuredOutput struct {
	Body struct {
		Name         string           `json:"name" doc:"姓名（脱敏）"`
		IDNumber     string           `json:"idNumber" doc:"身份证号码（脱敏）"`
		PersonStatus string           `json:"personStatus" doc:"在职、灵活就业、失业、退休"`
		PaidMonths   int              `json:"paidMonths" doc:"累计缴费月数"`
		Coverages    []WxCoverageItem `json:"coverages"`
	}
}

func (c *Channel) registerQueries(api huma.API) {
	huma.Register(api, c.op(api, bound, http.MethodGet, "/insured", "insured", "查询：参保信息"), c.insured)
	huma.Register(api, c.op(api, bound, http.MethodGet, "/reimbursements", "reimbursements", "查询：待遇报销及发放情况"), c.reimbursements)
	huma.Register(api, c.op(api, bound, http.MethodGet, "/lock-status", "lock-status", "查询：参保人封锁情况"), c.lockStatus)
}

func (c *Channel) insured(ctx context.Context, _ *WxInsuredInput) (*WxInsuredOutput, error) {
	p := principalFrom(ctx)
	o, err := c.core.Overview(ctx, p.Subject)
	c.record(ctx, p, "wechat.insured.overview", err)
	if err != nil {
		return nil, err
	}
	out := &WxInsuredOutput{}
	b := &out.Body
	b.Name, b.IDNumber, b.PersonStatus, b.PaidMonths = p.SubjectName, p.Subject.Masked(), o.Status.Label(), o.PaidMonths
	b.Coverages = make([]WxCoverageItem, 0, len(o.Coverages))
	for _, cv := range o.Coverages {
		it := WxCoverageItem{Insurance: cv.Type.Label(), Status: cv.Status.Label(), Unit: cv.UnitName, Since: monthCN(cv.Since), Base: none}
		if it.Unit == "" {
			it.Unit = "个人参保"
		}
		if cv.Base > 0 {
			it.Base = money(cv.Base)
		}
		b.Coverages = append(b.Coverages, it)
	}
	return out, nil
}

// WxReimbursementsInput asks for one year of benefits paid.
type WxReimbursementsInput struct {
	ActFor
	Year int `query:"year" minimum:"1990" maximum:"2100" doc:"年度；不传为今年"`
	Page int `query:"page" minimum:"1" default:"1"`
}

// WxPaymentItem is one payment of a benefit or reimbursement.
type WxPaymentItem struct {
	Kind   string `json:"kind" enum:"pension,work_injury,unemployment" doc:"待遇类别"`
	Item   string `json:"item" doc:"养老金、工伤医疗费、失业保险金…"`
	Month  string `json:"month" doc:"待遇所属年月"`
	Amount string `json:"amount"`
	PaidOn string `json:"paidOn" doc:"发放日期"`
}

// WxReimbursementsOutput is the 待遇报销查询 page.
type WxReimbursementsOutput struct {
	Body struct {
		Year   int             `json:"year"`
		Total  string          `json:"total" doc:"本年度合计"`
		Items  []WxPaymentItem `json:"items"`
		Paging WxPaging        `json:"paging"`
		Notice string          `json:"notice,omitempty"`
	}
}

// pageSize is how many rows a phone page shows.
const pageSize = 10

func (c *Channel) reimbursements(ctx context.Context, in *WxReimbursementsInput) (*WxReimbursementsOutput, error) {
	p := principalFrom(ctx)
	year := in.Year
	if year == 0 {
		year = c.now().In(domain.Beijing).Year()
	}
	rows, total, err := c.payments(ctx, p.Subject, year)
	c.record(ctx, p, "wechat.benefits.payments", err)
	if err != nil {
		return nil, err
	}
	out := &WxReimbursementsOutput{}
	b := &out.Body
	b.Year, b.Total = year, money(total)
	b.Items, b.Paging = paginate(rows, in.Page, pageSize)
	if len(rows) == 0 {
		b.Notice = strconv.Itoa(year) + "年没有待遇发放或报销记录"
	}
	return out, nil
}

// payments gathers what the core paid the person in year, newest first:
// pension, work-injury benefits (工伤医疗费 among them: the reimbursement
// proper) and unemployment benefit. The core pays each out by month, so
// the month orders them.
func (c *Channel) payments(ctx context.Context, id domain.IDNumber, year int) ([]WxPaymentItem, domain.Fen, error) {
	pension, err := c.core.PensionPayments(ctx, id, year)
	if err != nil {
		return nil, 0, err
	}
	injuries, err := c.core.WorkInjuries(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	claims, err := c.core.UnemploymentClaims(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	type row struct {
		month insured.Month
		item  WxPaymentItem
	}
	var rows []row
	var total domain.Fen
	add := func(kind, item string, m insured.Month, amount domain.Fen, paid string) {
		rows = append(rows, row{m, WxPaymentItem{Kind: kind, Item: item, Month: monthCN(m), Amount: money(amount), PaidOn: paid}})
		total += amount
	}
	for _, pp := range pension {
		add("pension", "基本养老金", pp.Month, pp.Amount, dateCN(pp.PaidOn))
	}
	for _, wi := range injuries {
		for _, b := range wi.Benefits {
			if b.PaidOn.In(domain.Beijing).Year() == year {
				add("work_injury", b.Kind.Label(), b.Month, b.Amount, dateCN(b.PaidOn))
			}
		}
	}
	for _, cl := range claims {
		for _, up := range cl.Payments {
			if up.PaidOn.In(domain.Beijing).Year() == year {
				add("unemployment", "失业保险金", up.Month, up.Amount, dateCN(up.PaidOn))
			}
		}
	}
	sortByMonthDesc(rows, func(r row) insured.Month { return r.month })
	items := make([]WxPaymentItem, len(rows))
	for i, r := range rows {
		items[i] = r.item
	}
	return items, total, nil
}
