package smcrypto_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
)

// A newcomer's data must stay readable across restarts: the second start
// finds the keys the first one made.
func TestDevKeysSurviveRestart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var")
	first, err := smcrypto.LoadOrCreateDevKeys(dir)
	if err != nil {
		t.Fatalf("first start: %v", err)
	}
	s1, err := smcrypto.New(first)
	if err != nil {
		t.Fatalf("generated keys rejected: %v", err)
	}
	sealed, _ := s1.Seal(rawID)
	index := s1.BlindIndex(privacy.KindIDNumber, rawID)

	info, err := os.Stat(filepath.Join(dir, smcrypto.DevKeysFile))
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("keys file mode: got %o; want 600", mode)
	}

	second, err := smcrypto.LoadOrCreateDevKeys(dir)
	if err != nil {
		t.Fatalf("restart: %v", err)
	}
	s2, _ := smcrypto.New(second)
	if got, err := s2.Open(sealed); err != nil || got != rawID {
		t.Errorf("after restart: got %q, %v; want the ID", got, err)
	}
	if got := s2.BlindIndex(privacy.KindIDNumber, rawID); got != index {
		t.Errorf("index after restart: got %q; want %q", got, index)
	}
}

// Two instances started together on one data directory must agree on one
// set of keys, or one of them writes data the other cannot read.
func TestDevKeysConcurrentStart(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	got := make([]smcrypto.Config, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cfg, err := smcrypto.LoadOrCreateDevKeys(dir)
			if err != nil {
				t.Errorf("start %d: %v", i, err)
			}
			got[i] = cfg
		})
	}
	wg.Wait()
	for i := 1; i < n; i++ {
		if got[i] != got[0] {
			t.Fatalf("start %d got other keys than start 0", i)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(left) != 1 {
		t.Errorf("files left in the data directory: %v; want only %s", left, smcrypto.DevKeysFile)
	}
}

func TestDevKeysDamagedFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, smcrypto.DevKeysFile)
	for _, content := range []string{"{", `{"keys":"dev1:abcd","active_key":"dev1","index_key":"00"}`} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := smcrypto.LoadOrCreateDevKeys(dir)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%q: got %v; want an error naming %s", content, err, path)
		}
	}
}

func TestEphemeral(t *testing.T) {
	a, b := smcrypto.Ephemeral(), smcrypto.Ephemeral()
	sealed, _ := a.Seal(rawTel)
	if got, err := a.Open(sealed); err != nil || got != rawTel {
		t.Errorf("round trip: got %q, %v", got, err)
	}
	if a.BlindIndex(privacy.KindPhone, rawTel) == b.BlindIndex(privacy.KindPhone, rawTel) {
		t.Errorf("two ephemeral sealers share an index key")
	}
}
