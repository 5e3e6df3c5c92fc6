package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// call makes one request to s and decodes its JSON answer.
func call(t *testing.T, s *Sim, method, target, body string) map[string]any {
	t.Helper()
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(method, target, strings.NewReader(body)))
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s answered %d %q; want JSON", method, target, w.Code, w.Body)
	}
	return out
}

func stableToken(t *testing.T, s *Sim, secret string, force bool) map[string]any {
	body, _ := json.Marshal(stableTokenRequest{GrantType: "client_credential", AppID: DefaultAppID, Secret: secret, ForceRefresh: force})
	return call(t, s, http.MethodPost, "/cgi-bin/stable_token", string(body))
}

func TestStableTokenStaysUntilForced(t *testing.T) {
	s := New(Config{Seed: 1})
	first := stableToken(t, s, DefaultAppSecret, false)["access_token"]
	if again := stableToken(t, s, DefaultAppSecret, false)["access_token"]; again != first || first == nil {
		t.Fatalf("second stable token %v; want the first, %v", again, first)
	}
	forced := stableToken(t, s, DefaultAppSecret, true)["access_token"]
	if forced == first {
		t.Fatal("force_refresh returned the same token; want a new one")
	}
	tests := []struct {
		token string
		code  float64
	}{{forced.(string), 0}, {first.(string), 40001}}
	for _, tt := range tests {
		got := call(t, s, http.MethodGet, "/cgi-bin/user/info?openid="+DemoOpenID+"&access_token="+tt.token, "")
		if code, _ := got["errcode"].(float64); code != tt.code {
			t.Errorf("user/info with %s…: errcode %v; want %v", tt.token[:10], got["errcode"], tt.code)
		}
	}
	if got := stableToken(t, s, "guessed", false)["errcode"]; got != float64(40125) {
		t.Errorf("wrong secret: errcode %v; want 40125", got)
	}
	if got := s.TokensIssued(); got != 2 {
		t.Errorf("TokensIssued = %d; want 2", got)
	}
}

func TestEncryptionRoundTripsOnlyForItsApp(t *testing.T) {
	msg := []byte("<xml><Content><![CDATA[异地养老备案]]></Content></xml>")
	ciphertext, err := encrypt(DefaultEncodingAESKey, DefaultAppID, msg)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := decrypt(DefaultEncodingAESKey, DefaultAppID, ciphertext); err != nil || !bytes.Equal(got, msg) {
		t.Errorf("decrypt = %q, %v; want %q", got, err, msg)
	}
	if _, err := decrypt(DefaultEncodingAESKey, "wx0000000000000000", ciphertext); err == nil {
		t.Error("decrypt for another app succeeded; want an error")
	}
}

func TestSignatureSortsItsParts(t *testing.T) {
	// sha1("1409304348" + "xxxxxx" + "yyyyyy"): the parts sorted as strings.
	if got, want := Signature("yyyyyy", "1409304348", "xxxxxx"), Signature("1409304348", "xxxxxx", "yyyyyy"); got != want {
		t.Errorf("Signature depends on argument order: %s vs %s", got, want)
	}
	if got := Signature("a"); got != "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8" {
		t.Errorf(`Signature("a") = %s; want sha1("a")`, got)
	}
}
