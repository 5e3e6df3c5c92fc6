package sim

import (
	"strconv"

	"github.com/dandong-hrss/hrss/integrations/insurance"
)

// accountYear is one line of the personal account statement.
type accountYear struct {
	year, months                         int
	credited, interest, paidOut, balance int64
}

// ledger is a person's personal pension account from the first digitised
// month to today: 8% of each paid month's base credited, the year's
// interest booked at its end, and after retirement the account part of the
// pension drawn each month.
type ledger struct {
	years          []accountYear
	paidMonths     int
	balance        int64
	accountPension int64 // the account part of the pension; 0 before retirement
}

// ledger computes p's account.
func (s *Sim) ledger(p *profile) ledger {
	var l ledger
	if !s.hasRecords(p) {
		return l
	}
	u, _ := s.payer(p)
	for y := p.start.year(); y <= s.now.year(); y++ {
		line := accountYear{year: y}
		s.credit(p, u, y, &line)
		if y < s.now.year() {
			rate := accountInterest(y)
			line.interest = percentOf(l.balance, rate) + percentOf(line.credited, rate/2)
		}
		l.paidMonths += line.months
		if p.status == retired && y >= p.pensionAt.year() {
			if l.accountPension == 0 && y == p.pensionAt.year() {
				l.accountPension = (l.balance + line.credited) / annuityMonths(p.retireAge)
			}
			line.paidOut = min(l.accountPension*int64(pensionMonthsIn(p, y, s.now)), l.balance+line.credited+line.interest)
		}
		l.balance += line.credited + line.interest - line.paidOut
		line.balance = l.balance
		l.years = append(l.years, line)
	}
	return l
}

// credit adds year y's paid months to line.
func (s *Sim) credit(p *profile, u *unitProfile, y int, line *accountYear) {
	for m := max(p.start, monthOf(y, 1)); m <= min(s.lastPaying(p), monthOf(y, 12)); m++ {
		if s.paid(p, u, m) {
			line.months++
			line.credited += percentOf(s.base(p, m), accountRate)
		}
	}
}

// pensionMonthsIn counts the months of year y, up to now, a retiree drew a
// pension.
func pensionMonthsIn(p *profile, y int, now month) int {
	from, to := max(p.pensionAt, monthOf(y, 1)), min(now, monthOf(y, 12))
	return max(0, int(to-from)+1)
}

// benefit is how a pension was reckoned at retirement, and what it is now.
type benefit struct {
	basic, account, transitional int64 // at retirement
	initial, monthly             int64 // at retirement, and after the yearly raises since
}

// benefit reckons p's pension the way an enterprise employee's is reckoned:
// a basic pension of 1% of the average of the average wage and the
// person's indexed wage per year of service, the account balance divided by
// the annuity months of the retirement age, and a transitional pension of
// 1.2% of the indexed wage per year of deemed service before 1996; then
// the yearly raises since.
func (s *Sim) benefit(p *profile, l *ledger) benefit {
	avg := averageWage(p.pensionAt.year() - 1)
	deemed := int64(max(0, int(min(recordsStart, p.pensionAt)-p.workStart)))
	service := deemed + int64(l.paidMonths)
	idx := int64(p.factor)
	b := benefit{
		basic:        avg * (10000 + idx) * service / (20000 * 12 * 100),
		account:      l.accountPension,
		transitional: avg * idx * deemed * 120 / (10000 * 12 * 10000),
	}
	b.initial = b.basic + b.account + b.transitional
	b.monthly = s.pensionIn(b.initial, p.pensionAt.year(), s.now.year())
	return b
}

// pensionIn raises an initial pension granted in year from by every yearly
// adjustment up to year y.
func (s *Sim) pensionIn(initial int64, from, y int) int64 {
	level := initial
	for x := from + 1; x <= y; x++ {
		level += percentOf(level, pensionRaise(x))
	}
	return level
}

// pensionBank returns the bank and masked card the pension is paid into.
func (s *Sim) pensionBank(i int) (bank, account string) {
	st := newStream(s.seed, tagPayment, i)
	b := banks[st.intn(len(banks))]
	return b.name, b.bin + "*********" + strconv.Itoa(1000+st.intn(9000))
}

// pensionBenefit answers QueryPensionBenefit for a retiree.
func (s *Sim) pensionBenefit(p *profile, l *ledger) *insurance.PensionBenefitResponse {
	b := s.benefit(p, l)
	bank, account := s.pensionBank(p.i)
	return &insurance.PensionBenefitResponse{
		RetiredOn: p.pensionAt.day(1).yyyymmdd(), Start: p.pensionAt.yyyymm(),
		Monthly: insurance.FormatYuan(b.monthly), Bank: bank, Account: account,
		Components: []insurance.ComponentXML{
			{Kind: insurance.ComponentBasic, Amount: insurance.FormatYuan(b.basic)},
			{Kind: insurance.ComponentAccount, Amount: insurance.FormatYuan(b.account)},
			{Kind: insurance.ComponentTransitional, Amount: insurance.FormatYuan(b.transitional)},
			{Kind: insurance.ComponentAdjustment, Amount: insurance.FormatYuan(b.monthly - b.initial)},
		},
	}
}

// pensionPayDay is the day of the month pensions are paid.
const pensionPayDay = 15

// pensionPayments answers QueryPensionPayments for year y.
func (s *Sim) pensionPayments(p *profile, l *ledger, y int) *insurance.PensionPaymentsResponse {
	r := &insurance.PensionPaymentsResponse{}
	if p.status != retired {
		return r
	}
	b := s.benefit(p, l)
	amount := insurance.FormatYuan(s.pensionIn(b.initial, p.pensionAt.year(), y))
	bank, account := s.pensionBank(p.i)
	for m := max(p.pensionAt, monthOf(y, 1)); m <= min(s.now, monthOf(y, 12)); m++ {
		if m == s.now && s.today.d < pensionPayDay {
			break
		}
		r.Payments = append(r.Payments, insurance.PensionPaymentXML{Month: m.yyyymm(), Amount: amount,
			PaidOn: m.day(pensionPayDay).yyyymmdd(), Bank: bank, Account: account})
	}
	return r
}

// pensionAccount answers QueryPensionAccount.
func pensionAccount(l *ledger) *insurance.PensionAccountResponse {
	r := &insurance.PensionAccountResponse{Balance: insurance.FormatYuan(l.balance), PaidMonths: l.paidMonths}
	for _, y := range l.years {
		r.Years = append(r.Years, insurance.AccountYearXML{Year: y.year, Months: y.months,
			Credited: insurance.FormatYuan(y.credited), Interest: insurance.FormatYuan(y.interest),
			PaidOut: insurance.FormatYuan(y.paidOut), Balance: insurance.FormatYuan(y.balance)})
	}
	return r
}
