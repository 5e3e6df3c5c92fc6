// Package privacy is the port through which every store protects the
// personal data it keeps at rest (个人信息存储保密性, GB/T 39786 level 3):
// citizen ID numbers and phone numbers are stored sealed — encrypted and
// authenticated — and found again by a keyed blind index instead of by the
// number itself. A dump of the database, a backup or a DBA's query then shows
// neither the numbers nor anything that can be turned back into them without
// the keys, which live outside the database.
//
// The domain states what it needs (Sealer); integrations/smcrypto provides it
// with the national algorithms SM4-GCM and HMAC-SM3.
package privacy

import "strings"

// Sealer encrypts personal data for storage and computes the blind index
// used to look it up. Implementations are safe for concurrent use and do no
// I/O, so they take no context.
//
// Sealed values are self-describing text, "<keyid>:<base64 nonce+ciphertext>":
// Seal always uses the active key and Open uses the key the value names, so
// keys rotate without rewriting the table first. Seal and Open map the empty
// string to itself, so optional columns stay empty.
type Sealer interface {
	// Seal encrypts plaintext under the active key. Error: Internal only when
	// the system's randomness fails.
	Seal(plaintext string) (string, error)
	// Open decrypts a value made by Seal under any key still in the ring.
	// Error: Internal when the value is malformed, names an unknown key or
	// was altered; the error never contains the value.
	Open(sealed string) (string, error)
	// BlindIndex returns a keyed, deterministic digest of value for equality
	// look-ups (WHERE id_index = ?). Its key is separate from the encryption
	// keys, and kind is part of the input, so the same digits indexed as an
	// ID number and as a phone give unrelated results. The empty value gives
	// "", so rows without a phone do not collide on one index value.
	BlindIndex(kind Kind, value string) string
}

// Kind separates the blind indexes of different sorts of data. The values are
// part of every stored index: changing one orphans every row indexed with it.
type Kind string

// The kinds of personal data the bureau looks people up by.
const (
	KindIDNumber   Kind = "id_number"   // 公民身份号码
	KindPhone      Kind = "phone"       // 手机号码
	KindCreditCode Kind = "credit_code" // 统一社会信用代码, for unit subjects in the audit log
)

// KeyID returns the key id a sealed value names, "" when it names none. A
// re-sealing job compares it with the active key to find values to rewrite.
func KeyID(sealed string) string {
	id, _, ok := strings.Cut(sealed, ":")
	if !ok {
		return ""
	}
	return id
}
