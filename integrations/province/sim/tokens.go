package sim

import (
	"crypto/sha256"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/province"
)

// LivenessSpoof is the liveness payload the simulator fails, as a real
// platform fails a photo held up to the camera; any other non-empty
// payload of a person whose name matches passes.
const LivenessSpoof = "spoof"

// kind is what a token is for, with the platform's reasons for refusing it.
type kind struct {
	prefix                  string
	notFound, used, expired string
	noun                    string
}

var (
	qrKind   = &kind{"QR", province.ReasonQRNotFound, province.ReasonQRUsed, province.ReasonQRExpired, "二维码"}
	faceKind = &kind{"FC", province.ReasonFaceTokenNotFound, province.ReasonFaceTokenUsed,
		province.ReasonFaceTokenExpired, "人脸识别结果"}
)

// token is a QR or face-check token: a bearer secret answered once.
type token struct {
	kind    *kind
	card    card      // QR: whose card
	id      string    // face: whose face
	passed  bool      // face: the outcome
	at      time.Time // face: when it was checked
	expires time.Time
	used    bool
}

// tokens are the tokens issued, guarded by Sim.mu. Expired tokens are kept
// until MaxRecords newer ones push them out, so that a late scan is told
// "expired" rather than "never issued".
type tokens struct {
	byValue map[string]*token
	order   []string
}

func newTokens() *tokens { return &tokens{byValue: map[string]*token{}} }

// mint stores t under a new token value and returns the value.
func (s *Sim) mint(t *token) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.newToken(t.kind.prefix)
	s.tokens.byValue[v] = t
	s.tokens.order = append(s.tokens.order, v)
	if len(s.tokens.order) > s.cfg.MaxRecords {
		delete(s.tokens.byValue, s.tokens.order[0])
		s.tokens.order = s.tokens.order[1:]
	}
	return v
}

// redeem marks the token of kind k used and returns it; if it cannot be
// redeemed it answers why itself and reports false.
func (s *Sim) redeem(w http.ResponseWriter, value string, k *kind) (token, bool) {
	s.mu.Lock()
	t, found := s.tokens.byValue[value]
	var got token
	status, reason, msg := http.StatusOK, "", ""
	switch {
	case !found || t.kind != k:
		status, reason, msg = http.StatusNotFound, k.notFound, k.noun+"不存在"
	case t.used:
		status, reason, msg = http.StatusConflict, k.used, k.noun+"已使用"
	case !s.now().Before(t.expires):
		status, reason, msg = http.StatusGone, k.expired, k.noun+"已过期"
	default:
		t.used = true
		got = *t
	}
	s.mu.Unlock()
	if status != http.StatusOK {
		fail(w, status, reason, msg)
		return token{}, false
	}
	return got, true
}

func (s *Sim) issueQR(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.PersonRequest
	if !decode(w, body, &req) || !validPerson(w, req, false) {
		return
	}
	c, found := s.cardOf(req.IDNumber)
	if !found {
		fail(w, http.StatusNotFound, province.ReasonCardNotFound, "未签发电子社保卡")
		return
	}
	expires := s.now().Add(s.cfg.QRValidity)
	v := s.mint(&token{kind: qrKind, card: c, expires: expires})
	province.WriteJSON(w, http.StatusOK, province.TokenResponse{Envelope: success("成功"), Token: v, ExpiresAt: expires})
}

func (s *Sim) verifyQR(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.TokenRequest
	if !decode(w, body, &req) {
		return
	}
	t, ok := s.redeem(w, req.Token, qrKind)
	if !ok {
		return
	}
	province.WriteJSON(w, http.StatusOK, province.QRIdentityResponse{Envelope: success("成功"),
		CardID: t.card.id, IDNumber: t.card.idNumber, Name: domain.MaskName(t.card.name)})
}

func (s *Sim) faceCheck(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.FaceCheckRequest
	if !decode(w, body, &req) || !validPerson(w, province.PersonRequest{IDNumber: req.IDNumber, Name: req.Name}, true) {
		return
	}
	if strings.TrimSpace(req.Liveness) == "" {
		fail(w, http.StatusBadRequest, province.ReasonLivenessMissing, "活体检测数据缺失")
		return
	}
	if !s.checkRealName(w, req.IDNumber, req.Name) {
		return
	}
	if !s.liveness.add(sha256.Sum256([]byte(req.Liveness))) {
		fail(w, http.StatusConflict, province.ReasonLivenessReplayed, "活体检测数据重复提交")
		return
	}
	now := s.now()
	expires := now.Add(s.cfg.FaceValidity)
	v := s.mint(&token{kind: faceKind, id: req.IDNumber, passed: req.Liveness != LivenessSpoof, at: now, expires: expires})
	province.WriteJSON(w, http.StatusOK, province.TokenResponse{Envelope: success("成功"), Token: v, ExpiresAt: expires})
}

func (s *Sim) verifyFace(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.TokenRequest
	if !decode(w, body, &req) {
		return
	}
	t, ok := s.redeem(w, req.Token, faceKind)
	if !ok {
		return
	}
	province.WriteJSON(w, http.StatusOK, province.FaceResultResponse{Envelope: success("成功"),
		IDNumber: t.id, Passed: t.passed, CheckedAt: t.at})
}

// seen remembers the last n liveness payloads, by hash, to refuse replays.
type seen struct {
	mu    sync.Mutex
	n     int
	set   map[[32]byte]bool
	order [][32]byte
}

func newSeen(n int) *seen { return &seen{n: n, set: map[[32]byte]bool{}} }

// add records h and reports whether it was new.
func (s *seen) add(h [32]byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.set[h] {
		return false
	}
	s.set[h] = true
	s.order = append(s.order, h)
	if len(s.order) > s.n {
		delete(s.set, s.order[0])
		s.order = s.order[1:]
	}
	return true
}
