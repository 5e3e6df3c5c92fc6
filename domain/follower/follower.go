// Package follower is who a follower of 丹东人社公众号 is to the bureau: an
// openid — the pseudonym WeChat gives one person for one official account —
// bound once to one insured person (绑定), the relatives that person may
// act for (亲情服务), and the short H5 sessions that carry the openid
// between pages.
//
// Identity is never keyed on the WeChat profile: WeChat no longer gives
// nicknames or avatars, and they prove nothing. A follower proves who they
// are once, in one of two ways:
//
//   - BySMS: they give their ID number and name; the business core must
//     know the person under that name, and a code goes to the phone the core
//     has on record for them — never to a number the follower types;
//   - ByECard: the provincial e-card platform confirms the name for the ID
//     number and a face check (人脸识别) of that same person passed.
//
// The binding is stored as the person's blind index, the sealed ID number
// and the masked name; unbinding deletes it with the relatives registered
// through it. A person has one binding: binding from a new openid (a new
// WeChat account) moves it, since the proof is the same as the first time.
//
// Relatives are registered as the app's are (domain/identity): the e-card
// platform confirms the relative's name and ID number, and the relative
// consents by reading back a code texted to the phone on record for them.
// The app keys relatives on its phone accounts, which a follower does not
// have, so the WeChat channel keeps its own, keyed on the holder's person.
// The code store and the relation words are identity's.
package follower

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Method is how a follower proved who they are when binding.
type Method string

// The binding methods.
const (
	BySMS   Method = "sms"   // 短信验证: a code to the phone on record at the business core
	ByECard Method = "ecard" // 电子社保卡: real name and face check at the provincial platform
)

// Binding is an openid bound to a person, with the ID number opened.
type Binding struct {
	OpenID     string
	Person     domain.IDNumber
	PersonRef  string // the person's blind index: applications, notices and the audit log know them by it
	MaskedName string // 张*
	Method     Method
	BoundAt    time.Time
}

// BindingRecord is a binding as stored: never the raw ID number.
type BindingRecord struct {
	OpenID       string
	PersonRef    string
	SealedPerson string
	MaskedName   string
	Method       Method
	BoundAt      time.Time
}

// RelativeRecord is a relative as stored, under the holder's person.
type RelativeRecord struct {
	ID           string // "RL…"; what a request names in X-Act-For
	HolderRef    string
	PersonRef    string
	SealedPerson string
	MaskedName   string
	Relation     identity.Relation
	VerifiedAt   time.Time
}

// Relative is a person the holder may act for, with the ID number opened.
type Relative struct {
	ID         string
	Person     domain.IDNumber
	PersonRef  string
	MaskedName string
	Relation   identity.Relation
	VerifiedAt time.Time
}

// Store keeps bindings and relatives durably. Every method may also return
// Unavailable or Internal when the database fails.
type Store interface {
	// Bind stores b. In one transaction it removes the person's binding to
	// another openid, if any, so a person has one binding. Binding an
	// openid again to the person it is bound to changes nothing. Conflict
	// when the openid is bound to another person.
	Bind(ctx context.Context, b BindingRecord) error
	// Binding returns the binding of an openid. NotFound.
	Binding(ctx context.Context, openID string) (BindingRecord, error)
	// BindingOf returns the binding of a person. NotFound.
	BindingOf(ctx context.Context, personRef string) (BindingRecord, error)
	// Unbind deletes the openid's binding and the relatives its person
	// registered, in one transaction, and reports whether there was one.
	Unbind(ctx context.Context, openID string) (bool, error)

	// AddRelative registers a relative of r.HolderRef unless the holder
	// has max relatives already (Rejected) or has registered this person
	// (Conflict). Concurrent adds cannot together pass max.
	AddRelative(ctx context.Context, r RelativeRecord, max int) error
	// Relatives lists the holder's relatives, oldest first.
	Relatives(ctx context.Context, holderRef string) ([]RelativeRecord, error)
	// Relative returns one of the holder's relatives. NotFound when the
	// holder has no relative with that id, whoever else has.
	Relative(ctx context.Context, holderRef, id string) (RelativeRecord, error)
	// RemoveRelative deletes one of the holder's relatives. NotFound.
	RemoveRelative(ctx context.Context, holderRef, id string) error
}

// Sessions keeps H5 sessions in the ephemeral store (Redis), by the hash
// of their token: a dump of the store opens no session. Every method may
// also return Unavailable.
type Sessions interface {
	// Open stores a session for openID under tokenHash for ttl.
	Open(ctx context.Context, tokenHash, openID string, ttl time.Duration) error
	// Lookup returns the openid of a live session. NotFound when there is
	// none: never opened, expired or closed.
	Lookup(ctx context.Context, tokenHash string) (string, error)
	// Close ends a session; closing one that is gone is a no-op.
	Close(ctx context.Context, tokenHash string) error
}

// People finds a person's record at the business core: the name a binding
// is checked against and the phone on record a code goes to. insured.Core
// implements it.
type People interface {
	Person(ctx context.Context, id domain.IDNumber) (insured.Person, error)
}

// Cards is what binding needs of the provincial e-card platform
// (ecard.Platform implements it): real-name checks and face-check results.
type Cards interface {
	VerifyName(ctx context.Context, id domain.IDNumber, name string) (bool, error)
	VerifyFace(ctx context.Context, token string) (ecard.FaceResult, error)
}

// Config holds what a Service needs. Store, Sessions, Codes, Texter,
// People, Cards and Sealer are required; zero durations and counts take
// the defaults named.
type Config struct {
	Store    Store
	Sessions Sessions
	Codes    identity.Codes // identitydb.Ephemeral: one code store for every channel
	Texter   identity.Texter
	People   People
	Cards    Cards
	Sealer   privacy.Sealer
	// CodeTemplate is the SMS template of a verification code, with
	// parameters code and minutes; "HRSS_VERIFY_CODE" if empty.
	CodeTemplate string
	CodeTTL      time.Duration // life of a code; 5 minutes
	CodeTries    int           // wrong entries before a code is void; 5
	ResendAfter  time.Duration // least time between codes for one binding; 60 s
	DailyCodes   int           // most codes for one binding per Beijing day; 10
	SessionTTL   time.Duration // life of an H5 session; 2 hours
	MaxRelatives int           // relatives one person may act for; 8
	Now          func() time.Time
}

// Service binds followers, keeps their sessions and relatives. It is safe
// for concurrent use.
type Service struct {
	cfg Config
}

// NewService returns a Service over cfg. It panics when a dependency is
// missing, a wiring defect.
func NewService(cfg Config) *Service {
	if cfg.Store == nil || cfg.Sessions == nil || cfg.Codes == nil || cfg.Texter == nil ||
		cfg.People == nil || cfg.Cards == nil || cfg.Sealer == nil {
		panic("follower: NewService needs Store, Sessions, Codes, Texter, People, Cards and Sealer")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.CodeTTL, 5*time.Minute)
	def(&cfg.ResendAfter, time.Minute)
	def(&cfg.SessionTTL, 2*time.Hour)
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

// ref is the blind index of an ID number.
func (s *Service) ref(id domain.IDNumber) string { return privacy.IDIndex(s.cfg.Sealer, id) }

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
