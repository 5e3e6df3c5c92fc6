package kiosk_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/channels/kiosk"
	"github.com/dandong-hrss/hrss/domain/device"
)

// The vectors were computed with openssl, independently of this code:
//
//	printf 'GET\n/kiosk/v1/pension/payments?year=2024\n1750212000000\n0123456789abcdef\ne3b0…b855' |
//	  openssl dgst -sha256 -hmac dandong-kiosk-demo-secret-not-for-production
//
// so the kiosk UI's JavaScript can be checked against the same numbers.
func TestSignatureVectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method, target, body, want string
	}{
		{"GET", "/kiosk/v1/pension/payments?year=2024", "", "3ef24424f30427a0461cd8f4206e3ec0d32894f16cfc515ca46790bb1ce2f8b6"},
		{"POST", "/kiosk/v1/sessions/person", `{"cardKind":"ssc"}`, "ec1ee892696b35854f2209539db0c804d270b0d0dd8d6c8ffc9ad6ebd5a536c1"},
	}
	for _, tt := range tests {
		got := kiosk.Signature(device.DemoSecret, tt.method, tt.target, "1750212000000", "0123456789abcdef", []byte(tt.body))
		if got != tt.want {
			t.Errorf("%s %s: got %s; want %s", tt.method, tt.target, got, tt.want)
		}
	}
}

func TestSignKeepsTheBody(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest("POST", "/kiosk/v1/sessions/person", strings.NewReader(`{"cardKind":"ssc"}`))
	at := time.UnixMilli(1750212000000)
	if err := kiosk.SignAt(req, "kiosk-yb-001", device.DemoSecret, at, "0123456789abcdef"); err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(req.Body)
	if string(body) != `{"cardKind":"ssc"}` || req.ContentLength != int64(len(body)) {
		t.Errorf("body after signing: got %q (%d); want it unchanged", body, req.ContentLength)
	}
	for h, want := range map[string]string{kiosk.HeaderDevice: "kiosk-yb-001", kiosk.HeaderTimestamp: "1750212000000",
		kiosk.HeaderNonce: "0123456789abcdef", kiosk.HeaderSignature: "ec1ee892696b35854f2209539db0c804d270b0d0dd8d6c8ffc9ad6ebd5a536c1"} {
		if got := req.Header.Get(h); got != want {
			t.Errorf("%s: got %q; want %q", h, got, want)
		}
	}
	if n := kiosk.NewNonce(); len(n) != 32 || n == kiosk.NewNonce() {
		t.Errorf("NewNonce: got %q; want 32 fresh hex characters", n)
	}
}
