package declaration

import (
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Who is an applicant as a channel knows them after authenticating them: a
// person by the ID number read from their card or session, a unit by its
// credit code. It is the only place the raw number appears; Identify turns
// it into the stored Applicant.
type Who struct {
	Kind       acceptance.ApplicantKind
	IDNumber   string // a person's citizen ID (GB 11643), as read or typed
	CreditCode string // a unit's unified social credit code (GB 32100)
	Name       string // the person's or unit's name, for the masked display
}

// Identify checks who's number — the GB 11643 check digit of an ID number;
// the GB 32100 character set of a credit code, accepting a legacy code whose
// check character fails, as the bureau does — and returns the applicant as
// stored: blind index, sealed number, masked display. Errors: Invalid on
// the number's field; Internal when sealing fails.
func Identify(sealer privacy.Sealer, who Who) (Applicant, error) {
	switch who.Kind {
	case acceptance.Person:
		id, err := domain.ParseIDNumber(who.IDNumber)
		if err != nil {
			return Applicant{}, err
		}
		sealed, err := privacy.SealID(sealer, id)
		if err != nil {
			return Applicant{}, err
		}
		return Applicant{Kind: who.Kind, Ref: privacy.IDIndex(sealer, id), SealedID: sealed, Display: display(domain.MaskName(who.Name), id.Masked())}, nil
	case acceptance.Unit:
		code, _, err := domain.ParseCreditCode(who.CreditCode)
		if err != nil {
			return Applicant{}, err
		}
		sealed, err := sealer.Seal(string(code))
		if err != nil {
			return Applicant{}, err
		}
		// A credit code is public, but it is masked like an ID all the same:
		// one display rule, and no 18-character run in the tables.
		masked := string(code[:4]) + "**********" + string(code[14:])
		return Applicant{Kind: who.Kind, Ref: privacy.UnitIndex(sealer, code), SealedID: sealed, Display: display(who.Name, masked)}, nil
	}
	return Applicant{}, domain.InvalidFields(domain.FieldError{Field: "applicant.kind", Message: "申请人类型应为个人或单位"})
}

// Ref returns the blind index an applicant's applications and drafts are
// found by, for queries ("my applications"), without sealing anything.
// Errors: Invalid as for Identify.
func Ref(sealer privacy.Sealer, who Who) (string, error) {
	switch who.Kind {
	case acceptance.Person:
		id, err := domain.ParseIDNumber(who.IDNumber)
		if err != nil {
			return "", err
		}
		return privacy.IDIndex(sealer, id), nil
	case acceptance.Unit:
		code, _, err := domain.ParseCreditCode(who.CreditCode)
		if err != nil {
			return "", err
		}
		return privacy.UnitIndex(sealer, code), nil
	}
	return "", domain.InvalidFields(domain.FieldError{Field: "applicant.kind", Message: "申请人类型应为个人或单位"})
}

func display(name, masked string) string {
	if name == "" {
		return masked
	}
	return name + " " + masked
}
