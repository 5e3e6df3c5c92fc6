package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
)

// Keys sign and verify access tokens (HS256). Each key has an id, written
// in the token's "kid" header, so keys rotate without signing anyone out:
// add the new key, make it active, and drop the old one after an access
// token's life (15 minutes).
type Keys struct {
	active  string
	secrets map[string][]byte
}

// ParseKeys reads keys written "kid:<hex>[,kid:<hex>…]" with at least 32
// bytes (64 hex digits) each, and the id of the one that signs. Errors
// name the fault, never a key.
func ParseKeys(list, active string) (Keys, error) {
	k := Keys{active: active, secrets: map[string][]byte{}}
	for _, item := range strings.Split(list, ",") {
		id, hexKey, ok := strings.Cut(strings.TrimSpace(item), ":")
		secret, err := hex.DecodeString(hexKey)
		if !ok || id == "" || err != nil || len(secret) < 32 {
			return Keys{}, fmt.Errorf("access-token key %q: want id:<at least 64 hex digits>", id)
		}
		k.secrets[id] = secret
	}
	if _, ok := k.secrets[active]; !ok {
		return Keys{}, fmt.Errorf("active access-token key %q is not among the keys", active)
	}
	return k, nil
}

// GenerateKeys returns one random key, for the embedded default: tokens
// then last until the process restarts, which a demo can live with.
func GenerateKeys() Keys {
	secret := make([]byte, 32)
	rand.Read(secret)
	return Keys{active: "dev", secrets: map[string][]byte{"dev": secret}}
}

// The access token's fixed claims.
const (
	tokenIssuer   = "dandong-hrss"
	tokenAudience = "hrss-app"
)

// accessClaims are the access token's claims: the account, its refresh
// family (for logout) and the bound ID number, sealed.
type accessClaims struct {
	jwt.RegisteredClaims
	Family       string `json:"fid"`
	SealedPerson string `json:"pid,omitempty"`
}

// mint signs an access token for c, valid for ttl from now.
func (k Keys) mint(c identity.Claims, now time.Time, ttl time.Duration) (string, error) {
	claims := accessClaims{Family: c.FamilyID, SealedPerson: c.SealedPerson, RegisteredClaims: jwt.RegisteredClaims{
		Issuer: tokenIssuer, Audience: jwt.ClaimStrings{tokenAudience}, Subject: c.AccountID,
		IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl))}}
	t := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	t.Header["kid"] = k.active
	s, err := t.SignedString(k.secrets[k.active])
	if err != nil {
		return "", domain.Wrap(err, domain.Internal, "登录凭证生成失败，请稍后再试")
	}
	return s, nil
}

// verify checks an access token's signature, issuer, audience and expiry
// against now — locally, with no call to any store — and returns its
// claims. Error: Unauthenticated.
func (k Keys) verify(token string, now time.Time) (identity.Claims, error) {
	var claims accessClaims
	_, err := jwt.ParseWithClaims(token, &claims, k.keyOf,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}), jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience), jwt.WithExpirationRequired(), jwt.WithIssuedAt(),
		jwt.WithLeeway(5*time.Second), jwt.WithTimeFunc(func() time.Time { return now }))
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return identity.Claims{}, domain.Wrap(err, domain.Unauthenticated, "登录已过期，请刷新登录凭证")
	case err != nil || claims.Subject == "":
		return identity.Claims{}, domain.Wrap(err, domain.Unauthenticated, "登录凭证无效，请重新登录")
	}
	return identity.Claims{AccountID: claims.Subject, FamilyID: claims.Family, SealedPerson: claims.SealedPerson}, nil
}

func (k Keys) keyOf(t *jwt.Token) (any, error) {
	id, _ := t.Header["kid"].(string)
	if secret, ok := k.secrets[id]; ok {
		return secret, nil
	}
	return nil, errors.New("unknown key id")
}
