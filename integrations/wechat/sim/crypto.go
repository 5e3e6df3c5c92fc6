package sim

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// This file implements WeChat's callback signing and message encryption
// (消息加解密) from the platform's documentation, independently of the SDK,
// so that the tests check the client against the specification rather than
// the SDK against itself.

// Signature is the signature of a callback: the lowercase hex SHA-1 of its
// parts (token, timestamp, nonce, and for msg_signature the ciphertext)
// sorted as strings and joined.
func Signature(parts ...string) string {
	sorted := append([]string(nil), parts...)
	sort.Strings(sorted)
	sum := sha1.Sum([]byte(strings.Join(sorted, "")))
	return hex.EncodeToString(sum[:])
}

// aesKey decodes the 43-character EncodingAESKey into the 32-byte AES key.
func aesKey(encodingAESKey string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(encodingAESKey) != 43 || len(key) != 32 {
		return nil, errors.New("wechat sim: EncodingAESKey must be 43 base64 characters")
	}
	return key, nil
}

// blockSize is the PKCS#7 padding unit WeChat uses (not AES's 16).
const blockSize = 32

// encrypt returns base64(AES-256-CBC(random16 ‖ len32be(msg) ‖ msg ‖ appID)),
// padded with PKCS#7 to 32 bytes, keyed by the AES key, IV its first 16 bytes.
func encrypt(encodingAESKey, appID string, msg []byte) (string, error) {
	key, err := aesKey(encodingAESKey)
	if err != nil {
		return "", err
	}
	plain := make([]byte, 20, 20+len(msg)+len(appID)+blockSize)
	rand.Read(plain[:16])
	binary.BigEndian.PutUint32(plain[16:20], uint32(len(msg)))
	plain = append(append(plain, msg...), appID...)
	pad := blockSize - len(plain)%blockSize
	for range pad {
		plain = append(plain, byte(pad))
	}
	block, _ := aes.NewCipher(key)
	cipher.NewCBCEncrypter(block, key[:16]).CryptBlocks(plain, plain)
	return base64.StdEncoding.EncodeToString(plain), nil
}

// decrypt reverses encrypt and checks that the message is for appID.
func decrypt(encodingAESKey, appID, ciphertext string) ([]byte, error) {
	key, err := aesKey(encodingAESKey)
	if err != nil {
		return nil, err
	}
	data, err := base64.StdEncoding.DecodeString(ciphertext)
	if err != nil || len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return nil, errors.New("wechat sim: ciphertext is not base64 of whole AES blocks")
	}
	block, _ := aes.NewCipher(key)
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(data, data)
	pad := int(data[len(data)-1])
	if pad < 1 || pad > blockSize || pad > len(data)-20 {
		return nil, errors.New("wechat sim: bad padding")
	}
	data = data[:len(data)-pad]
	n := int(binary.BigEndian.Uint32(data[16:20]))
	if 20+n > len(data) {
		return nil, errors.New("wechat sim: bad message length")
	}
	if got := string(data[20+n:]); got != appID {
		return nil, fmt.Errorf("wechat sim: message is for app %q, not %q", got, appID)
	}
	return data[20 : 20+n], nil
}
