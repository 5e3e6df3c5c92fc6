// Package identity is who a citizen is on the bureau's mobile channels: an
// account signed in by phone number and SMS code (短信验证码登录), bound to
// a citizen ID number by real-name verification with the provincial e-card
// platform (实名认证), kept signed in by a rotating refresh token, and able
// to act for up to eight registered relatives (亲情服务).
//
// It is channel-neutral: the app channel signs short-lived access tokens
// from the Claims this package gives it, and the WeChat channel can bind an
// openid to the same accounts later. Nothing here knows HTTP, JWT or Redis.
//
// Personal data stays sealed: the store keeps phone and ID numbers sealed by
// the privacy.Sealer and finds them by blind index; codes and refresh tokens
// are kept only as hashes, in the ephemeral store (Redis), so a dump of it
// lets nobody sign in.
package identity

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Account is a citizen's account on the mobile channels.
type Account struct {
	ID    string       // "AC" + UTC time + random; opaque, safe to log
	Phone domain.Phone // the number signed in with
	// Person is the citizen ID number bound by real-name verification; ""
	// until then. MaskedName is the verified name, masked (张*).
	Person     domain.IDNumber
	MaskedName string
	BoundAt    time.Time
	CreatedAt  time.Time
}

// Bound reports whether the account has passed real-name verification.
func (a Account) Bound() bool { return a.Person != "" }

// AccountRecord is an account as stored: sealed values and blind indexes,
// never a raw number.
type AccountRecord struct {
	ID           string
	PhoneIndex   string // privacy.PhoneIndex
	SealedPhone  string
	PersonIndex  string // privacy.IDIndex; "" until bound
	SealedPerson string
	MaskedName   string
	BoundAt      time.Time
	CreatedAt    time.Time
}

// Store keeps accounts and their relatives durably. Every method may also
// return Unavailable or Internal when the database fails.
type Store interface {
	// CreateAccount stores a new account. Conflict when an account with the
	// phone index exists (two first logins raced; read it instead).
	CreateAccount(ctx context.Context, a AccountRecord) error
	// AccountByPhone returns the account signed in with the phone. NotFound.
	AccountByPhone(ctx context.Context, phoneIndex string) (AccountRecord, error)
	// Account returns one account. NotFound.
	Account(ctx context.Context, id string) (AccountRecord, error)
	// BindPerson records the account's real-name binding. Binding the
	// person already bound changes nothing. Conflict when the person is
	// bound to another account, or the account to another person.
	BindPerson(ctx context.Context, id, personIndex, sealedPerson, maskedName string, at time.Time) error

	// AddRelative registers a relative of r.AccountID unless the account
	// has max relatives already (Rejected) or has registered this person
	// (Conflict). Concurrent adds cannot together pass max.
	AddRelative(ctx context.Context, r RelativeRecord, max int) error
	// Relatives lists the account's relatives, oldest first.
	Relatives(ctx context.Context, accountID string) ([]RelativeRecord, error)
	// Relative returns one of the account's relatives. NotFound when the
	// account has no relative with that id, whoever else has.
	Relative(ctx context.Context, accountID, id string) (RelativeRecord, error)
	// RemoveRelative deletes one of the account's relatives. NotFound.
	RemoveRelative(ctx context.Context, accountID, id string) error
}

// Texter sends templated text messages; the SMS platform client
// implements it. Send is never retried by the caller: a lost answer may
// still mean a text went out.
type Texter interface {
	Send(ctx context.Context, phone domain.Phone, template string, params map[string]string) (string, error)
}

// RealNames verifies a real name against the provincial e-card platform
// (ecard.Platform implements it): true when name is the one held for id.
type RealNames interface {
	VerifyName(ctx context.Context, id domain.IDNumber, name string) (bool, error)
}

// People finds a person's record at the business core, for the phone on
// record that a relative's consent code goes to (insured.Core implements it).
type People interface {
	Person(ctx context.Context, id domain.IDNumber) (insured.Person, error)
}

// Config holds what a Service needs. Store, Codes, Sessions, Texter,
// RealNames, People and Sealer are required; zero durations and counts
// take the defaults named.
type Config struct {
	Store     Store
	Codes     Codes
	Sessions  Sessions
	Texter    Texter
	RealNames RealNames
	People    People
	Sealer    privacy.Sealer
	// CodeTemplate is the SMS template of a verification code, with
	// parameters code and minutes; "HRSS_VERIFY_CODE" if empty.
	CodeTemplate string
	CodeTTL      time.Duration // life of a code; 5 minutes
	CodeTries    int           // wrong entries before a code is void; 5
	ResendAfter  time.Duration // least time between codes to one phone; 60 s
	DailyCodes   int           // most codes to one phone per Beijing day; 10
	RefreshTTL   time.Duration // life of a refresh token since issued; 30 days
	MaxRelatives int           // relatives one account may act for; 8
	Now          func() time.Time
}

// Service signs citizens in, binds them to their ID number, keeps their
// sessions and relatives. It is safe for concurrent use.
type Service struct {
	cfg Config
}

// NewService returns a Service over cfg.
func NewService(cfg Config) *Service {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.CodeTTL, 5*time.Minute)
	def(&cfg.ResendAfter, time.Minute)
	def(&cfg.RefreshTTL, 30*24*time.Hour)
	if cfg.CodeTries <= 0 {
		cfg.CodeTries = 5
	}
	if cfg.DailyCodes <= 0 {
		cfg.DailyCodes = 10
	}
	if cfg.MaxRelatives <= 0 {
		cfg.MaxRelatives = 8
	}
	if cfg.CodeTemplate == "" {
		cfg.CodeTemplate = "HRSS_VERIFY_CODE"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Service{cfg: cfg}
}

// now is the clock in UTC to the millisecond, the precision stored.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

// Account returns an account with its numbers opened. NotFound.
func (s *Service) Account(ctx context.Context, id string) (Account, error) {
	rec, err := s.cfg.Store.Account(ctx, id)
	if err != nil {
		return Account{}, err
	}
	return s.open(rec)
}

// open turns a stored account into one with its numbers readable.
func (s *Service) open(rec AccountRecord) (Account, error) {
	phone, err := privacy.OpenPhone(s.cfg.Sealer, rec.SealedPhone)
	if err != nil {
		return Account{}, err
	}
	person, err := privacy.OpenID(s.cfg.Sealer, rec.SealedPerson)
	if err != nil {
		return Account{}, err
	}
	return Account{ID: rec.ID, Phone: phone, Person: person, MaskedName: rec.MaskedName,
		BoundAt: rec.BoundAt, CreatedAt: rec.CreatedAt}, nil
}

// idEncoding spells the random part of ids.
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newID returns an id with prefix, the UTC time to the second and 40
// random bits, starting with a letter so that no run of digits reaches the
// length log maskers take for an ID number.
func newID(prefix string, now time.Time) string {
	var b [6]byte
	rand.Read(b[:])
	return prefix + now.UTC().Format("20060102150405") + string(rune('A'+b[0]%26)) + idEncoding.EncodeToString(b[1:])
}
