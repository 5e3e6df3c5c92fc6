package smcrypto

import (
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// The settings the keys come from, named in every configuration error so an
// operator knows which variable to fix.
const (
	EnvKeys      = "HRSS_DATA_KEYS"
	EnvActiveKey = "HRSS_DATA_ACTIVE_KEY"
	EnvIndexKey  = "HRSS_DATA_INDEX_KEY"
)

// Config is the key material as configured. It is secret: String and
// LogValue show only the key ids.
type Config struct {
	// Keys is the ring of SM4 keys, "k2026a:<32 hex chars>,k2025b:<32 hex chars>".
	// Every key that ever sealed a stored value stays here until the values
	// it sealed have been re-sealed.
	Keys string `json:"keys"`
	// ActiveKey is the id of the key new values are sealed under.
	ActiveKey string `json:"active_key"`
	// IndexKey is the HMAC-SM3 key of the blind index, 32 to 128 hex chars
	// (16–64 bytes). It never rotates without re-indexing every table.
	IndexKey string `json:"index_key"`
}

// String shows the key ids and hides the keys.
func (c Config) String() string {
	ids := []string{}
	for _, part := range strings.Split(c.Keys, ",") {
		if id, _, ok := strings.Cut(strings.TrimSpace(part), ":"); ok {
			ids = append(ids, id+":****")
		}
	}
	return fmt.Sprintf("keys=%s active=%s index=****", strings.Join(ids, ","), c.ActiveKey)
}

// LogValue hides the keys when a Config is logged.
func (c Config) LogValue() slog.Value { return slog.StringValue(c.String()) }

// keyRing is a validated Config.
type keyRing struct {
	keys   map[string][]byte // key id → 16-byte SM4 key
	active string
	index  []byte
}

// maxKeyID bounds key ids, which are stored in front of every sealed value.
const maxKeyID = 16

// parse validates c; each error names the setting at fault, never a key.
func (c Config) parse() (keyRing, error) {
	r := keyRing{keys: map[string][]byte{}, active: strings.TrimSpace(c.ActiveKey)}
	var errs []error
	if strings.TrimSpace(c.Keys) == "" {
		errs = append(errs, fmt.Errorf("%s: no keys; want id:<32 hex chars>[,id:<32 hex chars>…]", EnvKeys))
	}
	for _, part := range strings.Split(c.Keys, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, key, err := parseKey(part)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := r.keys[id]; dup {
			errs = append(errs, fmt.Errorf("%s: key id %q appears twice", EnvKeys, id))
		}
		r.keys[id] = key
	}
	if _, ok := r.keys[r.active]; !ok {
		errs = append(errs, fmt.Errorf("%s: %q is not a key id in %s", EnvActiveKey, r.active, EnvKeys))
	}
	index, err := hex.DecodeString(strings.TrimSpace(c.IndexKey))
	if err != nil || len(index) < 16 || len(index) > 64 {
		errs = append(errs, fmt.Errorf("%s: want 32 to 128 hex characters (a 16–64 byte HMAC-SM3 key)", EnvIndexKey))
	}
	r.index = index
	return r, errors.Join(errs...)
}

// parseKey reads one "id:hex" entry of the ring.
func parseKey(part string) (string, []byte, error) {
	id, hexKey, ok := strings.Cut(part, ":")
	if !ok || !validKeyID(id) {
		return "", nil, fmt.Errorf("%s: each entry is id:<32 hex chars>, the id 1–%d letters, digits, - or _", EnvKeys, maxKeyID)
	}
	key, err := hex.DecodeString(hexKey)
	if err != nil || len(key) != 16 {
		return "", nil, fmt.Errorf("%s: key %q must be 32 hex characters (a 16-byte SM4 key)", EnvKeys, id)
	}
	return id, key, nil
}

// validKeyID reports whether id is 1–16 of [A-Za-z0-9_-]: no ':' so the
// sealed form splits unambiguously.
func validKeyID(id string) bool {
	if id == "" || len(id) > maxKeyID {
		return false
	}
	for _, c := range id {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}
