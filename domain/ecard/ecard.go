// Package ecard is the electronic social-security card (电子社保卡) as the
// provincial e-card platform (省电子社保卡平台) provides it: real-name
// verification of a person, signing (签发) the card into the app, the
// short-lived QR code the citizen shows at a kiosk or a counter instead of a
// plastic card, and the face check (人脸识别) that pension certification
// (养老待遇资格认证) rests on.
//
// The QR code and the face check are both bearer tokens the citizen's phone
// hands to the bureau; the bureau never trusts what the phone says about
// them, it asks the platform, which answers each token once. Platform is the
// port; integrations/province implements it.
package ecard

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Platform is the port to the provincial e-card platform. Every method may
// also return Unavailable when the platform is down or its circuit breaker is
// open, Timeout when it does not answer in time, and Internal when it answers
// something that cannot be understood; those are not repeated below.
type Platform interface {
	// VerifyName checks a person's real name (实名认证): true when the name
	// is the one the platform holds for the ID number, false when it is not
	// or the platform knows no such person (the two are not told apart, so
	// the answer cannot be used to probe who is insured).
	VerifyName(ctx context.Context, id domain.IDNumber, name string) (bool, error)

	// Issue signs the person's e-card into the app (签发). A person has one
	// card: issuing again returns the card already signed. NotFound when the
	// platform knows no such person; Rejected when the name does not match.
	Issue(ctx context.Context, id domain.IDNumber, name string) (Card, error)

	// IssueQR returns a fresh QR token for the person's card, valid for
	// QRValidity and for one scan. NotFound when the person has no card yet.
	IssueQR(ctx context.Context, id domain.IDNumber) (QRCode, error)

	// VerifyQR redeems a scanned QR token and returns whose card it is. It
	// answers once per token: Rejected for a token already used or expired
	// (the citizen refreshes the code), NotFound for a token the platform
	// never issued.
	VerifyQR(ctx context.Context, token string) (Identity, error)

	// FaceCheck submits a face capture and returns the result token the
	// app hands to the bureau. In production the app's face SDK posts the
	// capture straight to the platform; the bureau submits it only for the
	// kiosk, whose camera it drives. Invalid for an empty capture.
	FaceCheck(ctx context.Context, c FaceCapture) (string, error)

	// VerifyFace redeems a face-check result token and returns the result.
	// It answers once per token: Rejected for a token already used or
	// expired, NotFound for a token the platform never issued.
	VerifyFace(ctx context.Context, token string) (FaceResult, error)
}

// QRValidity is how long a QR token may be scanned after it is issued; the
// app refreshes the code before then.
const QRValidity = 60 * time.Second

// Card is a signed e-card.
type Card struct {
	ID       string // the platform's card id (电子社保卡号), not the plastic card's number
	Person   domain.IDNumber
	SignedAt time.Time
}

// QRCode is a token the app renders as the card's QR code.
type QRCode struct {
	Token     string
	ExpiresAt time.Time
}

// Identity is whose card a scanned QR code is. The bureau is an authorised
// acceptor (用卡受理方), so it gets the ID number — which masks itself in
// every log and print — to open the citizen's session; the name arrives
// masked, since nothing the bureau does with a scan needs it in full.
type Identity struct {
	CardID     string
	Person     domain.IDNumber
	MaskedName string // 张*
}

// FaceCapture is what the camera produced for a face check.
type FaceCapture struct {
	Person domain.IDNumber
	Name   string
	// Liveness is the opaque liveness payload of the face SDK (活体检测数据),
	// passed through to the platform as is.
	Liveness string
}

// FaceResult is the outcome of a face check.
type FaceResult struct {
	Person domain.IDNumber
	Passed bool
	At     time.Time // when the face was checked, not when the token was redeemed
}
