// Package smcrypto protects personal data at rest with the Chinese national
// algorithms (国密) that GB/T 39786 level 3 expects of a government system:
// SM4 in GCM mode seals ID numbers and phones for storage, and HMAC-SM3
// computes the blind index stores look them up by. It implements
// privacy.Sealer.
//
// A sealed value is "<keyid>:<base64url nonce‖ciphertext‖tag>": a random
// 12-byte nonce, and the key id as additional authenticated data, so a value
// relabelled with another key id fails to open instead of decrypting under
// the wrong key. Keys come from configuration (HRSS_DATA_KEYS,
// HRSS_DATA_ACTIVE_KEY, HRSS_DATA_INDEX_KEY); the embedded default generates
// and keeps its own with LoadOrCreateDevKeys.
//
// Sizes for columns: a sealed ID number is at most 79 characters and a
// sealed phone at most 69 (with a 16-character key id); VARCHAR(128) holds
// either. A blind index is 26 characters (CHAR(26)): 128 bits of HMAC-SM3 in
// lower-case base32, whose only digits are 2–7, so an index never looks like
// a phone or ID number to domain.MaskText, which the audit log applies to
// every reference it stores.
package smcrypto

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

const (
	nonceSize = 12 // the GCM standard nonce, drawn at random per value
	tagSize   = 16
	indexSize = 16 // bytes of HMAC-SM3 kept in a blind index: 128 bits
)

// msgUnreadable is what a citizen sees when a stored value cannot be opened:
// the fault is the system's, not theirs.
const msgUnreadable = "暂时无法读取您的个人资料，请稍后再试或到服务大厅窗口咨询"

var (
	b64 = base64.RawURLEncoding
	b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)
)

// Sealer seals and opens personal data with SM4-GCM and indexes it with
// HMAC-SM3. It is safe for concurrent use.
type Sealer struct {
	keys   map[string]sealKey // by key id
	active string
	macs   sync.Pool // of hash.Hash: HMAC-SM3 under the index key
}

var _ privacy.Sealer = (*Sealer)(nil)

// sealKey is one key of the ring, ready to use: its AEAD and its id as the
// additional authenticated data.
type sealKey struct {
	aead cipher.AEAD
	id   []byte
}

// New validates cfg and returns a Sealer over its keys. Errors name the
// setting at fault (HRSS_DATA_KEYS, HRSS_DATA_ACTIVE_KEY,
// HRSS_DATA_INDEX_KEY) and never contain a key.
func New(cfg Config) (*Sealer, error) {
	ring, err := cfg.parse()
	if err != nil {
		return nil, err
	}
	s := &Sealer{keys: make(map[string]sealKey, len(ring.keys)), active: ring.active}
	for id, key := range ring.keys {
		block, err := sm4.NewCipher(key)
		if err != nil {
			return nil, fmt.Errorf("%s: key %q: %v", EnvKeys, id, err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("%s: key %q: %v", EnvKeys, id, err)
		}
		s.keys[id] = sealKey{aead: aead, id: []byte(id)}
	}
	index := ring.index
	s.macs.New = func() any { return hmac.New(sm3.New, index) }
	return s, nil
}

// ActiveKeyID is the id of the key Seal uses; values whose privacy.KeyID
// differs are due for re-sealing.
func (s *Sealer) ActiveKeyID() string { return s.active }

// Seal encrypts plaintext under the active key; "" stays "".
func (s *Sealer) Seal(plaintext string) (string, error) {
	if plaintext == "" {
		return "", nil
	}
	k := s.keys[s.active]
	buf := make([]byte, nonceSize, nonceSize+len(plaintext)+tagSize)
	if _, err := rand.Read(buf); err != nil {
		return "", domain.Wrap(err, domain.Internal, "系统暂时无法保存个人资料，请稍后再试")
	}
	buf = k.aead.Seal(buf, buf[:nonceSize], []byte(plaintext), k.id)
	out := make([]byte, 0, len(k.id)+1+b64.EncodedLen(len(buf)))
	out = append(out, k.id...)
	out = append(out, ':')
	out = b64.AppendEncode(out, buf)
	return string(out), nil
}

// Open decrypts a value sealed under any key in the ring; "" stays "".
// Errors are Internal and name at most the key id, never the value.
func (s *Sealer) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	id, body, ok := strings.Cut(sealed, ":")
	if !ok {
		return "", unreadable(errors.New("not a sealed value: no key id"))
	}
	k, ok := s.keys[id]
	if !ok {
		return "", unreadable(fmt.Errorf("sealed under key %q, which is not in %s", safeKeyID(id), EnvKeys))
	}
	raw, err := b64.DecodeString(body)
	if err != nil || len(raw) < nonceSize+tagSize {
		return "", unreadable(fmt.Errorf("sealed value under key %q is malformed", id))
	}
	plain, err := k.aead.Open(raw[nonceSize:nonceSize], raw[:nonceSize], raw[nonceSize:], k.id)
	if err != nil {
		return "", unreadable(fmt.Errorf("sealed value under key %q fails authentication (altered, or relabelled from another key)", id))
	}
	return string(plain), nil
}

// BlindIndex returns the first 128 bits of HMAC-SM3(index key, kind‖0‖value)
// in lower-case base32 (26 characters); "" for an empty value.
func (s *Sealer) BlindIndex(kind privacy.Kind, value string) string {
	if value == "" {
		return ""
	}
	mac := s.macs.Get().(hash.Hash)
	mac.Reset()
	var in [64]byte
	msg := append(append(append(in[:0], kind...), 0), value...)
	mac.Write(msg)
	var sum [32]byte
	digest := mac.Sum(sum[:0])
	s.macs.Put(mac)
	var out [26]byte // b32.EncodedLen(indexSize)
	b32.Encode(out[:], digest[:indexSize])
	return string(out[:])
}

// unreadable wraps cause (for logs) in the citizen-facing Internal error.
func unreadable(cause error) error {
	return domain.Wrap(cause, domain.Internal, msgUnreadable)
}

// safeKeyID quotes an unknown key id for a log without risking personal
// data: something that is no valid key id is not repeated at all, and a
// valid one is masked like free text in case it holds a phone number.
func safeKeyID(id string) string {
	if !validKeyID(id) {
		return "(not a key id)"
	}
	return domain.MaskText(id)
}
