package payment

import (
	"errors"
	"slices"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
)

func validOrder() Order {
	return Order{
		ID:          "PO20260601000001",
		Payer:       "210602198001010014",
		Amount:      domain.Fen(45_600),
		Description: "2026年6月灵活就业养老保险费",
		NotifyURL:   "https://hrss.dandong.gov.cn/pay/notify",
	}
}

func TestValidOrderPasses(t *testing.T) {
	if err := validOrder().Validate(); err != nil {
		t.Errorf("Validate() = %v; want nil", err)
	}
}

func TestValidateNamesEveryFaultyField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Order)
		want   []string
	}{
		{"no id", func(o *Order) { o.ID = "" }, []string{"orderId"}},
		{"long id", func(o *Order) { o.ID = "PO2026060100000100000000000000001" }, []string{"orderId"}},
		{"no payer", func(o *Order) { o.Payer = "" }, []string{"payer"}},
		{"zero amount", func(o *Order) { o.Amount = 0 }, []string{"amount"}},
		{"negative amount", func(o *Order) { o.Amount = -1 }, []string{"amount"}},
		{"amount over limit", func(o *Order) { o.Amount = MaxAmount + 1 }, []string{"amount"}},
		{"no description", func(o *Order) { o.Description = "" }, []string{"description"}},
		{"relative notify url", func(o *Order) { o.NotifyURL = "/pay/notify" }, []string{"notifyUrl"}},
		{"ftp notify url", func(o *Order) { o.NotifyURL = "ftp://hrss/pay" }, []string{"notifyUrl"}},
		{"two faults", func(o *Order) { o.Payer, o.Amount = "", 0 }, []string{"payer", "amount"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOrder()
			tt.change(&o)
			var de *domain.Error
			if err := o.Validate(); !errors.As(err, &de) || de.Code != domain.Invalid {
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

func TestMaxAmountIsAMillionYuan(t *testing.T) {
	if got := MaxAmount.Yuan(); got != "1,000,000.00" {
		t.Errorf("MaxAmount = %s yuan; want 1,000,000.00", got)
	}
}
