package province

import (
	"fmt"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/transfer"
)

// The transfer platform's codes for the domain's values, both ways.
var (
	directionWire = map[transfer.Direction]string{transfer.Out: DirectionOut, transfer.In: DirectionIn}
	insuranceWire = map[transfer.Insurance]string{
		transfer.EnterprisePension: InsuranceEnterprisePension,
		transfer.PublicPension:     InsurancePublicPension,
		transfer.Unemployment:      InsuranceUnemployment,
	}
	statusWire = map[transfer.Status]string{
		transfer.Accepted:     StatusAccepted,
		transfer.OutReview:    StatusOutReview,
		transfer.InReceive:    StatusInReceive,
		transfer.FundTransfer: StatusFundTransfer,
		transfer.Completed:    StatusCompleted,
		transfer.Returned:     StatusReturned,
	}
	directionDomain = invert(directionWire)
	insuranceDomain = invert(insuranceWire)
	statusDomain    = invert(statusWire)
)

func invert[K, V comparable](m map[K]V) map[V]K {
	out := make(map[V]K, len(m))
	for k, v := range m {
		out[v] = k
	}
	return out
}

// toWire turns a validated request into the platform's form.
func toWire(r transfer.Request) TransferRequest {
	return TransferRequest{
		RequestID: r.RequestID, Direction: directionWire[r.Direction], IDNumber: r.Person.Raw(),
		FromRegion: r.From.Code, FromRegionName: r.From.Name, ToRegion: r.To.Code, ToRegionName: r.To.Name,
		InsuranceType: insuranceWire[r.Insurance], UnitCreditCode: string(r.Unit),
	}
}

// fromWire reads a transfer the platform reported; an error names the first
// value the domain has no word for, which means the contract has changed.
func fromWire(w TransferRecord) (transfer.Transfer, error) {
	t := transfer.Transfer{
		Number: w.TransferNo, RequestID: w.RequestID, Person: domain.IDNumber(w.IDNumber),
		From: transfer.Region{Code: w.FromRegion, Name: w.FromRegionName},
		To:   transfer.Region{Code: w.ToRegion, Name: w.ToRegionName},
		Unit: domain.CreditCode(w.UnitCreditCode), Reason: w.Reason, Submitted: w.SubmittedAt,
	}
	var ok [3]bool
	t.Direction, ok[0] = directionDomain[w.Direction]
	t.Insurance, ok[1] = insuranceDomain[w.InsuranceType]
	t.Status, ok[2] = statusDomain[w.Status]
	if !ok[0] || !ok[1] || !ok[2] || w.TransferNo == "" {
		return transfer.Transfer{}, fmt.Errorf("transfer %q: direction %q, insurance %q, status %q",
			w.TransferNo, w.Direction, w.InsuranceType, w.Status)
	}
	for _, s := range w.Steps {
		st, ok := statusDomain[s.Status]
		if !ok {
			return transfer.Transfer{}, fmt.Errorf("transfer %s: step status %q", w.TransferNo, s.Status)
		}
		t.Steps = append(t.Steps, transfer.Step{Status: st, At: s.At})
	}
	return t, nil
}
