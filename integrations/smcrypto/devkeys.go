package smcrypto

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// DevKeysFile is the file in the data directory where the embedded default
// keeps the keys it generated.
const DevKeysFile = "data-keys.json"

// devKeyID names the generated key, so values sealed by a newcomer's setup
// are recognisable if they are ever copied somewhere they should not be.
const devKeyID = "dev1"

// devKeys is the file's content: the Config, and a note for whoever finds it.
type devKeys struct {
	Note string `json:"note"`
	Config
}

const devNote = "Generated for the embedded default. Production sets HRSS_DATA_KEYS, " +
	"HRSS_DATA_ACTIVE_KEY and HRSS_DATA_INDEX_KEY from a key store instead; " +
	"losing this file makes the data sealed under it unreadable."

// LoadOrCreateDevKeys returns the keys kept in dir/data-keys.json, creating
// the file (mode 0600) with fresh random keys the first time, so a
// newcomer's data stays readable across restarts. Two processes starting at
// once agree on one file: it is written aside and linked into place, which
// fails if the other won. The caller should warn loudly that production must
// configure its own keys.
func LoadOrCreateDevKeys(dir string) (Config, error) {
	path := filepath.Join(dir, DevKeysFile)
	cfg, err := readDevKeys(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return cfg, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Config{}, fmt.Errorf("create %s: %w", dir, err)
	}
	if err := writeDevKeys(path, randomConfig()); err != nil {
		return Config{}, err
	}
	return readDevKeys(path)
}

// readDevKeys reads and validates the file at path.
func readDevKeys(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	var k devKeys
	if err := json.Unmarshal(b, &k); err != nil {
		return Config{}, fmt.Errorf("%s is not a keys file: %w", path, err)
	}
	if _, err := k.Config.parse(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return k.Config, nil
}

// writeDevKeys writes cfg beside path and links it into place, leaving an
// existing file (another process's) as it is.
func writeDevKeys(path string, cfg Config) error {
	b, err := json.MarshalIndent(devKeys{Note: devNote, Config: cfg}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), DevKeysFile+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(append(b, '\n'))
	if err == nil {
		err = tmp.Sync() // a crash must not leave an empty keys file behind
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600 already; the link keeps that mode.
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// randomConfig draws one SM4 key and a 32-byte index key.
func randomConfig() Config {
	return Config{
		Keys:      devKeyID + ":" + randomHex(16),
		ActiveKey: devKeyID,
		IndexKey:  randomHex(32),
	}
}

// Ephemeral returns a Sealer over random keys that live only in memory: for
// tests of the stores that seal data. What it seals is unreadable after the
// process ends.
func Ephemeral() *Sealer {
	s, err := New(randomConfig())
	if err != nil {
		panic(fmt.Sprintf("smcrypto: random keys rejected: %v", err))
	}
	return s
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails: crypto/rand crashes the program instead
	return hex.EncodeToString(b)
}
