package transfer

import (
	"errors"
	"slices"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
)

func validRequest() Request {
	return Request{
		RequestID: "TR-20260601-0001",
		Direction: Out,
		Person:    "210602198001010014",
		From:      Region{Code: "210600", Name: "丹东市"},
		To:        Region{Code: "210100", Name: "沈阳市"},
		Insurance: EnterprisePension,
	}
}

func TestValidRequestPasses(t *testing.T) {
	if err := validRequest().Validate(); err != nil {
		t.Errorf("Validate() = %v; want nil", err)
	}
}

func TestValidateNamesEveryFaultyField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Request)
		want   []string
	}{
		{"no request id", func(r *Request) { r.RequestID = "" }, []string{"requestId"}},
		{"unknown direction", func(r *Request) { r.Direction = "sideways" }, []string{"direction"}},
		{"no person", func(r *Request) { r.Person = "" }, []string{"idNumber"}},
		{"unknown insurance", func(r *Request) { r.Insurance = "medical" }, []string{"insurance"}},
		{"short region code", func(r *Request) { r.From.Code = "2106" }, []string{"from.code"}},
		{"region code with zero lead", func(r *Request) { r.To.Code = "010100" }, []string{"to.code"}},
		{"unnamed region", func(r *Request) { r.To.Name = "" }, []string{"to.name"}},
		{"same region", func(r *Request) { r.To = r.From }, []string{"to"}},
		{"two faults", func(r *Request) { r.RequestID, r.Insurance = "", "" }, []string{"requestId", "insurance"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validRequest()
			tt.change(&r)
			err := r.Validate()
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.Invalid {
				t.Fatalf("Validate() = %v; want Invalid", err)
			}
			var got []string
			for _, f := range de.Fields {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fields %v; want %v", got, tt.want)
			}
		})
	}
}

func TestStatusLabelsAndFinality(t *testing.T) {
	tests := []struct {
		s     Status
		label string
		final bool
	}{
		{Accepted, "受理中", false},
		{OutReview, "转出地审核", false},
		{InReceive, "转入地接收", false},
		{FundTransfer, "基金划转", false},
		{Completed, "办结", true},
		{Returned, "退回", true},
		{"lost", "未知状态", false},
	}
	for _, tt := range tests {
		if got := tt.s.Label(); got != tt.label {
			t.Errorf("%q.Label() = %q; want %q", tt.s, got, tt.label)
		}
		if got := tt.s.Final(); got != tt.final {
			t.Errorf("%q.Final() = %v; want %v", tt.s, got, tt.final)
		}
	}
}
