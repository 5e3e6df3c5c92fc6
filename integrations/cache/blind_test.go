package cache_test

import (
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/integrations/cache"
)

func TestBlind(t *testing.T) {
	b, err := cache.NewBlinder(hashKey)
	if err != nil {
		t.Fatal(err)
	}
	other, err := cache.NewBlinder([]byte("another-key-of-16-bytes"))
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("9", 300)
	tok := b.Blind("p", someID.Raw())
	tests := []struct {
		name      string
		got, want string
		same      bool
	}{
		{"same input, same token", b.Blind("p", someID.Raw()), tok, true},
		{"remembered token equals computed", b.Blind("p", string([]byte(someID.Raw()))), tok, true},
		{"another kind", b.Blind("u", someID.Raw()), tok, false},
		{"another key", other.Blind("p", someID.Raw()), tok, false},
		{"another id", b.Blind("p", "210602199001011242"), tok, false},
		{"a long id", b.Blind("p", long), b.Blind("p", long+"0"), false},
	}
	for _, tt := range tests {
		if (tt.got == tt.want) != tt.same {
			t.Errorf("%s: got %q, compared with %q; want same=%v", tt.name, tt.got, tt.want, tt.same)
		}
	}
	if !strings.HasPrefix(tok, "p:") || len(tok) != len("p:")+22 || strings.Contains(tok, someID.Raw()[6:14]) {
		t.Errorf("token %q; want p: and 22 base64url characters, nothing of the ID", tok)
	}
	if _, err := cache.NewBlinder([]byte("short")); err == nil {
		t.Error("NewBlinder accepted a 5-byte key; want an error")
	}
}
