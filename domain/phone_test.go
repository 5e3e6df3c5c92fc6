package domain

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in   string
		want Phone
	}{
		{"13812345678", "13812345678"},
		{" 19912345678 ", "19912345678"},
		{"138 1234 5678", "13812345678"},
		{"138-1234-5678", "13812345678"},
		{"+8613812345678", "13812345678"},
		{"+86 138 1234 5678", "13812345678"},
		{"+86-138-1234-5678", "13812345678"},
		{"8613812345678", "13812345678"},
		{"86 13812345678", "13812345678"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePhone(tt.in)
			if err != nil {
				t.Fatalf("got error %v; want nil", err)
			}
			if got != tt.want {
				t.Errorf("got %q; want %q", got.Raw(), tt.want.Raw())
			}
		})
	}
}

func TestParsePhoneRejects(t *testing.T) {
	for _, in := range []string{
		"",
		"1381234567",    // 10 digits
		"138123456789",  // 12 digits
		"12812345678",   // second digit 2
		"10012345678",   // second digit 0
		"23812345678",   // does not start with 1
		"1381234567a",   // letter
		"138.1234.5678", // dots are not forgiven
		"+85213812345678",
		"024-22812345", // Dandong landline
		"１３８12345678",
	} {
		t.Run(in, func(t *testing.T) {
			got, err := ParsePhone(in)
			if got != "" {
				t.Errorf("got %q; want empty", got.Raw())
			}
			checkFieldError(t, err, "phone", msgPhone)
		})
	}
}

func TestPhoneNeverPrintsRaw(t *testing.T) {
	p := Phone("13812345678")
	const masked = "138****5678"
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("sms sent", "to", p)
	printed := map[string]string{
		"Masked": p.Masked(),
		"%v":     fmt.Sprintf("%v", p),
		"%#v":    fmt.Sprintf("%#v", p),
		"%+v":    fmt.Sprintf("%+v", struct{ P Phone }{p}),
		"slog":   buf.String(),
	}
	for how, out := range printed {
		if strings.Contains(out, p.Raw()) || !strings.Contains(out, masked) {
			t.Errorf("%s: got %q; want %s and never the raw number", how, out, masked)
		}
	}
	if got := p.Raw(); got != "13812345678" {
		t.Errorf("Raw: got %q; want %q", got, "13812345678")
	}
}
