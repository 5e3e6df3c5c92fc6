package sim

import "github.com/dandong-hrss/hrss/integrations/insurance"

// The operation handlers: look the subject up, check the request, and put
// the derived data into the wire types.

func (s *Sim) opPerson(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookup(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	x := insurance.PersonXML{IDNumber: p.idNumber, PersonalNo: p.personalNo, Name: p.name,
		Gender: insurance.GenderFemale, BirthDate: p.id.birth.yyyymmdd(), Phone: p.phone,
		Status: p.status.wire(), InsuredSince: p.workStart.yyyymm()}
	if p.id.male() {
		x.Gender = insurance.GenderMale
	}
	if p.unit >= 0 {
		u := s.unit(p.unit)
		x.UnitCode, x.UnitName = u.code, u.name
	}
	return &insurance.PersonResponse{Person: x}, nil
}

func (s *Sim) opOverview(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookup(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	l := s.ledger(&p.profile)
	return s.overview(&p, &l), nil
}

func (s *Sim) opContributions(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	if !s.validYear(req.Year) {
		return nil, badYear
	}
	return s.contributions(&p, req.Year), nil
}

func (s *Sim) opPensionAccount(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	l := s.ledger(&p)
	return pensionAccount(&l), nil
}

func (s *Sim) opPensionBenefit(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	if p.status != retired {
		return nil, noPension
	}
	l := s.ledger(&p)
	return s.pensionBenefit(&p, &l), nil
}

func (s *Sim) opPensionPayments(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	if !s.validYear(req.Year) {
		return nil, badYear
	}
	var l ledger
	if p.status == retired {
		l = s.ledger(&p)
	}
	return s.pensionPayments(&p, &l, req.Year), nil
}

func (s *Sim) opWorkInjuries(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	return s.workInjuries(&p), nil
}

func (s *Sim) opUnemployment(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	if !ok {
		return nil, personNotFound
	}
	return s.unemploymentClaims(&p), nil
}

func (s *Sim) opBaseTiers(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	switch {
	case !ok:
		return nil, personNotFound
	case p.status != flexible:
		return nil, notFlexible
	}
	return s.tierOptions(&p), nil
}

func (s *Sim) opChangeBaseTier(req *insurance.Request) (any, *insurance.Fault) {
	p, ok := s.lookupProfile(req.IDNumber)
	switch {
	case !ok:
		return nil, personNotFound
	case p.status != flexible:
		return nil, notFlexible
	case !offersTier(req.Percent):
		return nil, badTier
	}
	s.setTier(p.i, req.Percent)
	p.tierFrom, p.newTier = s.now, req.Percent
	return s.tierOptions(&p), nil
}

func (s *Sim) opUnit(req *insurance.Request) (any, *insurance.Fault) {
	u, ok := s.lookupUnit(req.CreditCode)
	if !ok {
		return nil, unitNotFound
	}
	from, to := s.roll(u.j)
	x := insurance.UnitXML{Code: u.code, Name: u.name, Type: u.kind.wire(), Address: u.address,
		LegalRep: u.legalRep, Status: insurance.UnitActive, Since: s.unitSince(u.j).yyyymm(), InsuredCount: to - from}
	if u.arrears > 0 {
		x.Status = insurance.UnitArrears
	}
	return &insurance.UnitResponse{Unit: x}, nil
}

// maxPageSize matches insured.MaxPageSize; maxPage keeps page·size far from
// overflow.
const (
	maxPageSize = 100
	maxPage     = 1_000_000
)

func (s *Sim) opUnitStaff(req *insurance.Request) (any, *insurance.Fault) {
	u, ok := s.lookupUnit(req.CreditCode)
	switch {
	case !ok:
		return nil, unitNotFound
	case req.Page < 1 || req.Page > maxPage:
		return nil, badPage
	case req.Size < 1 || req.Size > maxPageSize:
		return nil, badSize
	}
	return s.staffPage(u.j, req.Page, req.Size), nil
}

func (s *Sim) opUnitRates(req *insurance.Request) (any, *insurance.Fault) {
	u, ok := s.lookupUnit(req.CreditCode)
	if !ok {
		return nil, unitNotFound
	}
	return s.unitRates(&u), nil
}

func (s *Sim) opUnitAssessments(req *insurance.Request) (any, *insurance.Fault) {
	u, ok := s.lookupUnit(req.CreditCode)
	switch {
	case !ok:
		return nil, unitNotFound
	case !s.validYear(req.Year):
		return nil, badYear
	}
	return s.unitAssessments(&u.unitProfile, req.Year), nil
}

func (s *Sim) opUnitPayments(req *insurance.Request) (any, *insurance.Fault) {
	u, ok := s.lookupUnit(req.CreditCode)
	switch {
	case !ok:
		return nil, unitNotFound
	case !s.validYear(req.Year):
		return nil, badYear
	}
	return s.unitPayments(&u.unitProfile, req.Year), nil
}

// lookupProfile finds a person's numeric profile, for operations that need
// no name or phone.
func (s *Sim) lookupProfile(id string) (profile, bool) {
	i, ok := s.ids.index(id)
	if !ok {
		return profile{}, false
	}
	return s.profile(i), true
}

// validYear accepts 1900 to next year, as the core does.
func (s *Sim) validYear(y int) bool { return y >= 1900 && y <= s.now.year()+1 }
