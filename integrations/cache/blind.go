package cache

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"github.com/maypok86/otter/v2"
	"strings"
)

// MinBlindKeyLen is the shortest key NewBlinder accepts: 128 bits, so that
// nobody without the key can run the 2.45 million ID numbers of the city
// through the hash and read people back out of Redis keys.
const MinBlindKeyLen = 16

// Blinder turns personal identifiers (ID numbers, credit codes, device ids,
// client addresses) into opaque tokens for Redis keys and pub/sub messages:
// a keyed hash (HMAC-SHA256, RFC 2104, truncated to 128 bits, base64url), so
// a key listing or a MONITOR session never shows an ID number, and the same
// input gives the same token on every instance that shares the key. It is
// safe for concurrent use.
//
// The hash costs a microsecond or so, more than the rest of a memory hit, so
// the tokens of the identifiers seen lately are remembered (in process
// memory only, where the identifiers are anyway while a request is served).
type Blinder struct {
	ipad, opad [sha256.BlockSize]byte
	memo       *otter.Cache[blindInput, string]
}

type blindInput struct{ kind, id string }

// blindMemo is how many tokens a Blinder remembers: the people served in
// the last several minutes of a peak.
const blindMemo = 100_000

// NewBlinder returns a Blinder keyed with secret (at least MinBlindKeyLen
// bytes; keep it in configuration with the other secrets).
func NewBlinder(secret []byte) (*Blinder, error) {
	if len(secret) < MinBlindKeyLen {
		return nil, errors.New("cache: the key for hashing identifiers must have at least 16 bytes")
	}
	key := secret
	if len(key) > sha256.BlockSize {
		sum := sha256.Sum256(key)
		key = sum[:]
	}
	b := &Blinder{memo: otter.Must(&otter.Options[blindInput, string]{MaximumSize: blindMemo})}
	for i := range sha256.BlockSize {
		var k byte
		if i < len(key) {
			k = key[i]
		}
		b.ipad[i], b.opad[i] = k^0x36, k^0x5c
	}
	return b, nil
}

// Blind returns kind + ":" + the token of id within that kind ("p" for
// people, "u" for units, …), so equal strings of different kinds never share
// a token: Blind("p", "210602…") is like "p:3q2-7wAbCdEfGhIjKlMnOp".
func (b *Blinder) Blind(kind, id string) string {
	in := blindInput{kind, id}
	if token, ok := b.memo.GetIfPresent(in); ok {
		return token
	}
	token := b.hash(kind, id)
	// The caller's strings may alias a buffer the web server reuses.
	b.memo.Set(blindInput{strings.Clone(kind), strings.Clone(id)}, token)
	return token
}

// hash computes a token: HMAC-SHA256 over kind, NUL, id, on the stack.
func (b *Blinder) hash(kind, id string) string {
	var buf [sha256.BlockSize + 96]byte // kind, id and the output fit: no allocation but the result
	msg := buf[:0]
	if n := sha256.BlockSize + len(kind) + 1 + len(id); n > len(buf) {
		msg = make([]byte, 0, n)
	}
	msg = append(msg, b.ipad[:]...)
	msg = append(msg, kind...)
	msg = append(msg, 0)
	msg = append(msg, id...)
	inner := sha256.Sum256(msg)
	outer := append(buf[:0], b.opad[:]...)
	outer = append(outer, inner[:]...)
	sum := sha256.Sum256(outer)
	out := append(buf[:0], kind...)
	out = append(out, ':')
	out = base64.RawURLEncoding.AppendEncode(out, sum[:16])
	return string(out)
}
