package kiosk

import (
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// PensionAccountView is the 养老保险个人账户 screen with the yearly
// statement (个人账户对账单), newest year first.
type PensionAccountView struct {
	Title   string             `json:"title"`
	Summary []Field            `json:"summary"`
	Columns []Column           `json:"columns"`
	Rows    []AccountStatement `json:"rows"`
	Paging  Paging             `json:"paging"`
	Notice  string             `json:"notice,omitempty"`
}

// AccountStatement is one year of the personal account.
type AccountStatement struct {
	Year     string `json:"year"`     // 2024年
	Months   string `json:"months"`   // 12个月
	Credited string `json:"credited"` // 本年记账金额
	Interest string `json:"interest"` // 本年记账利息
	PaidOut  string `json:"paidOut"`  // 本年支出
	Balance  string `json:"balance"`  // 年末累计储存额
}

var accountColumns = []Column{{"year", "年度"}, {"months", "记账月数"}, {"credited", "本年记账金额"},
	{"interest", "本年记账利息"}, {"paidOut", "本年支出"}, {"balance", "年末累计储存额"}}

// pensionAccountView shows the account with page of its statement.
func pensionAccountView(a insured.PensionAccount, page int) PensionAccountView {
	v := PensionAccountView{Title: "养老保险个人账户", Columns: accountColumns, Summary: accountSummary(a)}
	rows := accountRows(a)
	v.Rows, v.Paging = paginate(rows, page)
	if len(rows) == 0 {
		v.Notice = "没有个人账户记账记录"
	}
	return v
}

func accountSummary(a insured.PensionAccount) []Field {
	return []Field{{"个人账户累计储存额", money(a.Balance)}, {"累计记账月数", months(a.PaidMonths)}}
}

// accountRows are the years of the account statement, newest first.
func accountRows(a insured.PensionAccount) []AccountStatement {
	rows := make([]AccountStatement, 0, len(a.Years))
	for _, y := range newestFirst(a.Years, func(y insured.PensionAccountYear) insured.Month { return insured.NewMonth(y.Year, 1) }) {
		rows = append(rows, AccountStatement{Year: yearLabel(y.Year), Months: months(y.Months), Credited: money(y.Credited),
			Interest: money(y.Interest), PaidOut: money(y.PaidOut), Balance: money(y.Balance)})
	}
	return rows
}

// PensionBenefitView is the 养老待遇 screen: what a retiree draws and of
// what it is made.
type PensionBenefitView struct {
	Title   string        `json:"title"`
	Summary []Field       `json:"summary"`
	Columns []Column      `json:"columns"`
	Rows    []PensionPart `json:"rows"`
}

// PensionPart is one component of the monthly pension.
type PensionPart struct {
	Item   string `json:"item"`   // 基础养老金
	Amount string `json:"amount"` // ￥1,234.56
}

var benefitColumns = []Column{{"item", "待遇项目"}, {"amount", "月金额"}}

// pensionBenefitView shows the benefit; the account number comes masked
// from the core.
func pensionBenefitView(b insured.PensionBenefit) PensionBenefitView {
	v := PensionBenefitView{Title: "养老待遇", Columns: benefitColumns, Rows: make([]PensionPart, 0, len(b.Components)),
		Summary: []Field{{"退休日期", dateCN(b.RetiredOn)}, {"待遇起始年月", monthCN(b.Start)}, {"月养老金", money(b.Monthly)},
			{"发放银行", orNone(b.Bank)}, {"银行账号", orNone(b.Account)}}}
	for _, c := range b.Components {
		v.Rows = append(v.Rows, PensionPart{Item: c.Kind.Label(), Amount: money(c.Amount)})
	}
	return v
}

// PensionPaymentsView is the 养老金发放记录 screen: one year, newest first.
type PensionPaymentsView struct {
	Title   string        `json:"title"`
	Year    int           `json:"year"`
	Years   []YearOption  `json:"years"`
	Summary []Field       `json:"summary"`
	Columns []Column      `json:"columns"`
	Rows    []PensionPaid `json:"rows"`
	Paging  Paging        `json:"paging"`
	Notice  string        `json:"notice,omitempty"`
}

// PensionPaid is one month of pension paid.
type PensionPaid struct {
	Month   string `json:"month"`
	Amount  string `json:"amount"`
	PaidOn  string `json:"paidOn"`
	Bank    string `json:"bank"`
	Account string `json:"account"`
}

var pensionPaidColumns = []Column{{"month", "发放年月"}, {"amount", "发放金额"}, {"paidOn", "发放日期"},
	{"bank", "发放银行"}, {"account", "银行账号"}}

// pensionPaymentsView shows page of one year's payments; years offers the
// picker.
func pensionPaymentsView(year int, years []YearOption, ps []insured.PensionPayment, page int) PensionPaymentsView {
	v := PensionPaymentsView{Title: "养老金发放记录", Year: year, Years: years, Columns: pensionPaidColumns}
	rows := make([]PensionPaid, 0, len(ps))
	var total domain.Fen
	for _, p := range newestFirst(ps, func(p insured.PensionPayment) insured.Month { return p.Month }) {
		total += p.Amount
		rows = append(rows, PensionPaid{Month: monthCN(p.Month), Amount: money(p.Amount), PaidOn: dateCN(p.PaidOn),
			Bank: orNone(p.Bank), Account: orNone(p.Account)})
	}
	v.Rows, v.Paging = paginate(rows, page)
	v.Summary = []Field{{"发放年度", yearLabel(year)}, {"发放月数", months(len(ps))}, {"发放合计", money(total)}}
	if len(rows) == 0 {
		v.Notice = yearLabel(year) + "没有养老金发放记录"
	}
	return v
}
