package province

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/prometheus/client_golang/prometheus"
)

// CardName is how citizens see the e-card platform named in error messages.
const CardName = "省电子社保卡平台"

// CardClient speaks to the provincial e-card platform. It is safe for
// concurrent use.
type CardClient struct{ c *conn }

var _ ecard.Platform = (*CardClient)(nil)

// NewCardClient returns a client; its metrics go to reg under system label
// "province_ecard" (nil reg: no metrics).
func NewCardClient(cfg Config, reg prometheus.Registerer) *CardClient {
	return &CardClient{c: newConn(cfg, "province_ecard", CardName, reg)}
}

// BreakerState reports the platform's circuit breaker, for readiness pages.
func (e *CardClient) BreakerState() string { return e.c.caller.BreakerState() }

// VerifyName checks a real name (see ecard.Platform); a read, so it is
// retried.
func (e *CardClient) VerifyName(ctx context.Context, id domain.IDNumber, name string) (bool, error) {
	if err := checkPerson(id, name); err != nil {
		return false, err
	}
	var out VerificationResponse
	err := e.c.call(ctx, "verify_name", true, http.MethodPost, PathVerifications,
		PersonRequest{IDNumber: id.Raw(), Name: strings.TrimSpace(name)}, &out)
	return out.Match, err
}

// Issue signs the person's e-card (see ecard.Platform). It is retried: the
// platform keeps one card per person and returns it again on a repeat.
func (e *CardClient) Issue(ctx context.Context, id domain.IDNumber, name string) (ecard.Card, error) {
	if err := checkPerson(id, name); err != nil {
		return ecard.Card{}, err
	}
	var out CardResponse
	err := e.c.call(ctx, "issue_card", true, http.MethodPost, PathCards,
		PersonRequest{IDNumber: id.Raw(), Name: strings.TrimSpace(name)}, &out)
	if err != nil {
		return ecard.Card{}, err
	}
	if out.CardID == "" {
		return ecard.Card{}, e.c.unreadable(errIncomplete)
	}
	return ecard.Card{ID: out.CardID, Person: domain.IDNumber(out.IDNumber), SignedAt: out.SignedAt}, nil
}

// IssueQR returns a fresh QR token (see ecard.Platform). Strictly it is not
// idempotent — each call mints a token — but it is retried because a token
// whose answer was lost is never shown, and expires unused within a minute.
func (e *CardClient) IssueQR(ctx context.Context, id domain.IDNumber) (ecard.QRCode, error) {
	if id == "" {
		return ecard.QRCode{}, domain.Errorf(domain.Invalid, "缺少身份证号码")
	}
	var out TokenResponse
	err := e.c.call(ctx, "issue_qr", true, http.MethodPost, PathQRCodes, PersonRequest{IDNumber: id.Raw()}, &out)
	if err != nil {
		return ecard.QRCode{}, err
	}
	if out.Token == "" {
		return ecard.QRCode{}, e.c.unreadable(errIncomplete)
	}
	return ecard.QRCode{Token: out.Token, ExpiresAt: out.ExpiresAt}, nil
}

// VerifyQR redeems a scanned QR token (see ecard.Platform). It is never
// retried: the platform answers a token once, so a repeat of a call whose
// answer was lost would be refused as used and lose the citizen's scan.
func (e *CardClient) VerifyQR(ctx context.Context, token string) (ecard.Identity, error) {
	if token == "" {
		return ecard.Identity{}, domain.Errorf(domain.Invalid, "未识别到二维码，请重新扫码")
	}
	var out QRIdentityResponse
	err := e.c.call(ctx, "verify_qr", false, http.MethodPost, PathQRVerify, TokenRequest{Token: token}, &out)
	if err != nil {
		return ecard.Identity{}, err
	}
	if out.IDNumber == "" {
		return ecard.Identity{}, e.c.unreadable(errIncomplete)
	}
	return ecard.Identity{CardID: out.CardID, Person: domain.IDNumber(out.IDNumber), MaskedName: out.Name}, nil
}

// FaceCheck submits a face capture (see ecard.Platform). It is never
// retried: the platform refuses a liveness payload it has seen before, as a
// replayed capture, so a repeat whose first answer was lost would only be
// refused.
func (e *CardClient) FaceCheck(ctx context.Context, c ecard.FaceCapture) (string, error) {
	if err := checkPerson(c.Person, c.Name); err != nil {
		return "", err
	}
	if c.Liveness == "" {
		return "", domain.Errorf(domain.Invalid, "%s", reasons[ReasonLivenessMissing].message)
	}
	var out TokenResponse
	err := e.c.call(ctx, "face_check", false, http.MethodPost, PathFaceChecks,
		FaceCheckRequest{IDNumber: c.Person.Raw(), Name: strings.TrimSpace(c.Name), Liveness: c.Liveness}, &out)
	if err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", e.c.unreadable(errIncomplete)
	}
	return out.Token, nil
}

// VerifyFace redeems a face-check token (see ecard.Platform). It is never
// retried, for the reason VerifyQR is not.
func (e *CardClient) VerifyFace(ctx context.Context, token string) (ecard.FaceResult, error) {
	if token == "" {
		return ecard.FaceResult{}, domain.Errorf(domain.Invalid, "缺少人脸识别结果，请重新进行人脸识别")
	}
	var out FaceResultResponse
	err := e.c.call(ctx, "verify_face", false, http.MethodPost, PathFaceCheckVerify, TokenRequest{Token: token}, &out)
	if err != nil {
		return ecard.FaceResult{}, err
	}
	if out.IDNumber == "" {
		return ecard.FaceResult{}, e.c.unreadable(errIncomplete)
	}
	return ecard.FaceResult{Person: domain.IDNumber(out.IDNumber), Passed: out.Passed, At: out.CheckedAt}, nil
}

// errIncomplete is the cause when a successful answer lacks its one
// essential field.
var errIncomplete = errors.New("province: successful answer without its key field")

// checkPerson refuses a call the platform could only refuse.
func checkPerson(id domain.IDNumber, name string) error {
	var fields []domain.FieldError
	if id == "" {
		fields = append(fields, domain.FieldError{Field: "idNumber", Message: "请输入身份证号码"})
	}
	if strings.TrimSpace(name) == "" {
		fields = append(fields, domain.FieldError{Field: "name", Message: "请输入姓名"})
	}
	if len(fields) > 0 {
		return domain.InvalidFields(fields...)
	}
	return nil
}
