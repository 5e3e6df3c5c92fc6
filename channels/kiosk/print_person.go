package kiosk

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// statementDoc is the personal statement (个人对账单, the record of one's
// social-insurance rights): the standing in each insurance type, the
// pension account year by year and the contributions of the latest year
// that has any, on A4.
func (c *Channel) statementDoc(ctx context.Context, s Session, _ *struct{}) (document.Document, error) {
	o, err := c.core.Overview(ctx, s.Person)
	if err != nil {
		return document.Document{}, err
	}
	a, err := c.core.PensionAccount(ctx, s.Person)
	if err != nil {
		return document.Document{}, err
	}
	y, err := c.latestContributions(ctx, s.Person)
	if err != nil {
		return document.Document{}, err
	}
	return document.Document{Kind: document.PersonalStatement, Title: "社会保险个人权益记录（个人对账单）",
		Subject: personSubject(s), PageSize: document.A4,
		Sections: []document.Section{coverageSection(o), accountSection(a), contributionSection(y)}}, nil
}

func coverageSection(o insured.InsuranceOverview) document.Section {
	v := overviewView(o)
	rows := make([][]string, 0, len(v.Rows))
	for _, r := range v.Rows {
		rows = append(rows, []string{r.Insurance, r.Status, r.Unit, r.Since, r.Until, r.Base})
	}
	return document.Section{Heading: "参保信息", Rows: docRows(v.Summary[1:]), // the ID number is in the subject
		Table: table(coverageColumns, rows, 1, 1, 2.2, 1, 1, 1.2)}
}

func accountSection(a insured.PensionAccount) document.Section {
	all := accountRows(a)
	rows := make([][]string, 0, len(all))
	for _, r := range all {
		rows = append(rows, []string{r.Year, r.Months, r.Credited, r.Interest, r.PaidOut, r.Balance})
	}
	return document.Section{Heading: "养老保险个人账户", Rows: docRows(accountSummary(a)), Table: table(accountColumns, rows)}
}

func contributionSection(y insured.ContributionYear) document.Section {
	v := contributionsView(y, "", 1)
	all, _ := contributionRows(y.Records, "")
	rows := make([][]string, 0, len(all))
	for _, r := range all {
		rows = append(rows, []string{r.Month, r.Insurance, r.Base, r.UnitPart, r.Personal, r.Total, r.State})
	}
	return document.Section{Heading: yearLabel(y.Year) + "缴费明细", Rows: docRows(v.Summary[2:]), // year and type are in the heading
		Table: table(contributionColumns, rows)}
}

// benefitSlipDoc is the benefit slip (待遇信息单) of a pensioner: what they
// draw, of what it is made, and what was paid this year, on A4.
func (c *Channel) benefitSlipDoc(ctx context.Context, s Session, _ *struct{}) (document.Document, error) {
	b, err := c.core.PensionBenefit(ctx, s.Person)
	if domain.IsCode(err, domain.NotFound) {
		return document.Document{}, domain.Wrap(err, domain.NotFound, "您目前没有领取养老待遇，没有待遇信息单可打印")
	}
	if err != nil {
		return document.Document{}, err
	}
	year := c.thisYear()
	ps, err := c.core.PensionPayments(ctx, s.Person, year)
	if err != nil {
		return document.Document{}, err
	}
	v := pensionBenefitView(b)
	parts := make([][]string, 0, len(v.Rows))
	for _, p := range v.Rows {
		parts = append(parts, []string{p.Item, p.Amount})
	}
	pv := pensionPaymentsView(year, nil, ps, 1)
	paid := make([][]string, 0, len(ps))
	for _, p := range newestFirst(ps, func(p insured.PensionPayment) insured.Month { return p.Month }) {
		paid = append(paid, []string{monthCN(p.Month), money(p.Amount), dateCN(p.PaidOn), orNone(p.Bank), orNone(p.Account)})
	}
	return document.Document{Kind: document.BenefitSlip, Title: "基本养老保险待遇信息单", Subject: personSubject(s),
		PageSize: document.A4, Sections: []document.Section{
			{Heading: "养老待遇", Rows: docRows(v.Summary), Table: table(benefitColumns, parts)},
			{Heading: yearLabel(year) + "养老金发放记录", Rows: docRows(pv.Summary[1:]), Table: table(pensionPaidColumns, paid)},
		}}, nil
}

// certificationReceiptDoc is the receipt of this year's certification
// (待遇资格认证结果), on the kiosk's 80 mm roll, once it is certified.
func (c *Channel) certificationReceiptDoc(ctx context.Context, s Session, _ *struct{}) (document.Document, error) {
	cy, err := c.certs.Status(ctx, s.Person)
	if err != nil {
		return document.Document{}, err
	}
	if !cy.State.Done() || cy.Certification == nil {
		return document.Document{}, domain.Errorf(domain.Rejected, "您本年度尚未完成待遇资格认证，认证通过后才能打印认证结果")
	}
	return document.Document{Kind: document.CertificationResult, Title: "养老保险待遇资格认证结果",
		Subject: personSubject(s), PageSize: document.Receipt80mm,
		Sections: []document.Section{{Heading: "认证结果", Rows: docRows(certificationFields(cy))}}}, nil
}
