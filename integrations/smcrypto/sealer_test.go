package smcrypto_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
)

const (
	key2025 = "00112233445566778899aabbccddeeff"
	key2026 = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	idxKey  = "6368616e676520746869732070617373" + "6368616e676520746869732070617373"
	rawID   = "21060219900101104X"
	rawTel  = "13812345678"
)

// newSealer builds a Sealer or fails the test.
func newSealer(tb testing.TB, keys, active string) *smcrypto.Sealer {
	tb.Helper()
	s, err := smcrypto.New(smcrypto.Config{Keys: keys, ActiveKey: active, IndexKey: idxKey})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return s
}

func TestSealOpenRoundTrip(t *testing.T) {
	s := newSealer(t, "k2025b:"+key2025, "k2025b")
	for _, plain := range []string{rawID, rawTel, "张三", "x", strings.Repeat("长", 500), ""} {
		sealed, err := s.Seal(plain)
		if err != nil {
			t.Fatalf("Seal: %v", err)
		}
		got, err := s.Open(sealed)
		if err != nil || got != plain {
			t.Errorf("Open(Seal(%.12q)): got %.12q, %v; want the plaintext", plain, got, err)
		}
	}
}

// Sealed text must not give away any part of the number, and sealing the
// same number twice must not give the same text (or equal columns would
// reveal equal people; look-ups use the blind index instead).
func TestSealedTextHoldsNoDigits(t *testing.T) {
	s := newSealer(t, "k2025b:"+key2025, "k2025b")
	id, _ := domain.ParseIDNumber(rawID)
	phone, _ := domain.ParsePhone(rawTel)
	sealedID, _ := privacy.SealID(s, id)
	sealedPhone, _ := privacy.SealPhone(s, phone)
	for _, sealed := range []string{sealedID, sealedPhone} {
		for _, part := range []string{rawID, rawTel, rawID[:6], rawID[6:14], rawID[14:], rawTel[:3], rawTel[7:]} {
			if strings.Contains(sealed, part) {
				t.Errorf("sealed text %q contains %q", sealed, part)
			}
		}
		if !strings.HasPrefix(sealed, "k2025b:") {
			t.Errorf("sealed text %q does not name its key", sealed)
		}
	}
	again, _ := privacy.SealID(s, id)
	if again == sealedID {
		t.Errorf("sealing the same ID twice gave the same text %q", again)
	}
	gotID, err := privacy.OpenID(s, sealedID)
	if err != nil || gotID != id {
		t.Errorf("OpenID: got %q, %v; want %q", gotID.Raw(), err, id.Raw())
	}
}

// After a new active key is added, values sealed under the old one still
// open, new values use the new key, and a process that only has the old
// ring cannot read them.
func TestRotation(t *testing.T) {
	before := newSealer(t, "k2025b:"+key2025, "k2025b")
	old, _ := before.Seal(rawID)

	after := newSealer(t, "k2026a:"+key2026+",k2025b:"+key2025, "k2026a")
	if got, err := after.Open(old); err != nil || got != rawID {
		t.Errorf("open old value after rotation: got %q, %v; want the ID", got, err)
	}
	fresh, _ := after.Seal(rawID)
	if got := privacy.KeyID(fresh); got != "k2026a" || after.ActiveKeyID() != "k2026a" {
		t.Errorf("new value sealed under %q (active %q); want k2026a", got, after.ActiveKeyID())
	}
	if _, err := before.Open(fresh); domain.ErrorCode(err) != domain.Internal {
		t.Errorf("old ring opening a new-key value: got %v; want Internal", err)
	}
}

// Every fault on the way back is Internal and says nothing of the value.
func TestOpenFaults(t *testing.T) {
	s := newSealer(t, "k2026a:"+key2026+",k2025b:"+key2025, "k2026a")
	sealed, _ := s.Seal(rawID)
	_, body, _ := strings.Cut(sealed, ":")
	raw, _ := base64.RawURLEncoding.DecodeString(body)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 0x01
		return "k2026a:" + base64.RawURLEncoding.EncodeToString(b)
	}
	tests := []struct{ name, sealed string }{
		{"flipped nonce byte", flip(0)},
		{"flipped ciphertext byte", flip(14)},
		{"flipped tag byte", flip(len(raw) - 1)},
		{"relabelled with another key id", "k2025b:" + body},
		{"unknown key id", "k1999z:" + body},
		{"raw ID, never sealed", rawID},
		{"raw phone behind a colon", rawTel + ":" + body},
		{"not base64", "k2026a:***"},
		{"too short", "k2026a:AAAA"},
		{"truncated", sealed[:len(sealed)-4]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Open(tt.sealed)
			if domain.ErrorCode(err) != domain.Internal || got != "" {
				t.Fatalf("got %q, %v; want \"\" and an Internal error", got, err)
			}
			msg := err.Error()
			for _, part := range []string{rawID[:6], rawID[14:], rawTel[:3] + rawTel[3:7], body[:10]} {
				if strings.Contains(msg, part) {
					t.Errorf("error %q contains %q", msg, part)
				}
			}
		})
	}
}

func TestBlindIndex(t *testing.T) {
	s := newSealer(t, "k2025b:"+key2025, "k2025b")
	restarted := newSealer(t, "k2026a:"+key2026+",k2025b:"+key2025, "k2026a")
	other, err := smcrypto.New(smcrypto.Config{Keys: "k2025b:" + key2025, ActiveKey: "k2025b", IndexKey: strings.Repeat("ab", 16)})
	if err != nil {
		t.Fatal(err)
	}
	id := s.BlindIndex(privacy.KindIDNumber, rawID)
	if len(id) != 26 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz234567") != "" {
		t.Errorf("index %q: want 26 lower-case base32 characters", id)
	}
	if masked := domain.MaskText(id); masked != id {
		t.Errorf("the log masker changes index %q to %q", id, masked)
	}
	if got := restarted.BlindIndex(privacy.KindIDNumber, rawID); got != id {
		t.Errorf("after restart and key rotation: got %q; want %q", got, id)
	}
	digits := "13812345678"
	if s.BlindIndex(privacy.KindIDNumber, digits) == s.BlindIndex(privacy.KindPhone, digits) {
		t.Errorf("the same digits as ID number and as phone share an index")
	}
	if other.BlindIndex(privacy.KindIDNumber, rawID) == id {
		t.Errorf("a different index key gave the same index")
	}
	if s.BlindIndex(privacy.KindIDNumber, "210602199001011242") == id {
		t.Errorf("different ID numbers share an index")
	}
	if got := s.BlindIndex(privacy.KindPhone, ""); got != "" {
		t.Errorf("index of empty value: got %q; want \"\"", got)
	}
	if strings.Contains(id, rawID[:6]) {
		t.Errorf("index %q contains part of the ID", id)
	}
}

// The index must not be the sealing key's business: a key in the ring used
// as index key would let one leak expose both.
func TestConfigErrorsNameTheSetting(t *testing.T) {
	tests := []struct {
		name string
		cfg  smcrypto.Config
		want string
	}{
		{"no keys", smcrypto.Config{ActiveKey: "k1", IndexKey: idxKey}, smcrypto.EnvKeys},
		{"short key", smcrypto.Config{Keys: "k1:" + key2025[:30], ActiveKey: "k1", IndexKey: idxKey}, smcrypto.EnvKeys},
		{"AES-256 sized key", smcrypto.Config{Keys: "k1:" + key2025 + key2026, ActiveKey: "k1", IndexKey: idxKey}, smcrypto.EnvKeys},
		{"not hex", smcrypto.Config{Keys: "k1:" + strings.Repeat("zz", 16), ActiveKey: "k1", IndexKey: idxKey}, smcrypto.EnvKeys},
		{"no id", smcrypto.Config{Keys: key2025, ActiveKey: "k1", IndexKey: idxKey}, smcrypto.EnvKeys},
		{"id with a space", smcrypto.Config{Keys: "k 1:" + key2025, ActiveKey: "k 1", IndexKey: idxKey}, smcrypto.EnvKeys},
		{"duplicate id", smcrypto.Config{Keys: "k1:" + key2025 + ",k1:" + key2026, ActiveKey: "k1", IndexKey: idxKey}, smcrypto.EnvKeys},
		{"active not in ring", smcrypto.Config{Keys: "k1:" + key2025, ActiveKey: "k2", IndexKey: idxKey}, smcrypto.EnvActiveKey},
		{"no active", smcrypto.Config{Keys: "k1:" + key2025, IndexKey: idxKey}, smcrypto.EnvActiveKey},
		{"no index key", smcrypto.Config{Keys: "k1:" + key2025, ActiveKey: "k1"}, smcrypto.EnvIndexKey},
		{"short index key", smcrypto.Config{Keys: "k1:" + key2025, ActiveKey: "k1", IndexKey: "abcd"}, smcrypto.EnvIndexKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := smcrypto.New(tt.cfg)
			if err == nil {
				t.Fatalf("got no error; want one naming %s", tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("got %q; want it to name %s", msg, tt.want)
			}
			for _, k := range []string{key2025[:16], key2026[:16], idxKey[:16]} {
				if strings.Contains(msg, k) {
					t.Errorf("error %q contains key material", msg)
				}
			}
		})
	}
}

func TestConfigPrintsNoKeys(t *testing.T) {
	cfg := smcrypto.Config{Keys: "k2026a:" + key2026 + ",k2025b:" + key2025, ActiveKey: "k2026a", IndexKey: idxKey}
	got := cfg.String()
	if want := "keys=k2026a:****,k2025b:**** active=k2026a index=****"; got != want {
		t.Errorf("got %q; want %q", got, want)
	}
	if v := cfg.LogValue().String(); v != got {
		t.Errorf("LogValue: got %q; want %q", v, got)
	}
}
