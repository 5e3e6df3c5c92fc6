package certification

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
)

// PensionCore is the part of insured.Core that CorePensioners reads.
type PensionCore interface {
	Person(ctx context.Context, id domain.IDNumber) (insured.Person, error)
	PensionBenefit(ctx context.Context, id domain.IDNumber) (insured.PensionBenefit, error)
}

// CorePensioners reads pensioners from the business core: a person is a
// pensioner when the core records them as retired (退休) and drawing a
// pension. The core's read model carries no certification date, so
// LastCertified stays zero and a first cycle runs from the retirement date
// (never due before the day it starts).
type CorePensioners struct {
	Core PensionCore
}

var _ Pensioners = CorePensioners{}

// Pensioner implements Pensioners. Errors: NotFound when the core has no
// such person; the core's Unavailable and Timeout.
func (c CorePensioners) Pensioner(ctx context.Context, id domain.IDNumber) (Pensioner, error) {
	p, err := c.Core.Person(ctx, id)
	if err != nil {
		return Pensioner{}, err
	}
	if p.Status != insured.Retired {
		return Pensioner{Name: p.Name}, nil
	}
	b, err := c.Core.PensionBenefit(ctx, id)
	if domain.IsCode(err, domain.NotFound) {
		return Pensioner{Name: p.Name}, nil
	}
	if err != nil {
		return Pensioner{}, err
	}
	return Pensioner{Name: p.Name, Retired: true, RetiredOn: b.RetiredOn}, nil
}
