package sim

import (
	"net/http"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/province"
)

// card is a signed e-card.
type card struct {
	id       string
	idNumber string
	name     string
	signedAt time.Time
}

// person reports whether the province knows the person with this ID number
// and whether name is theirs (see Config.Lookup).
func (s *Sim) person(id, name string) (known, match bool) {
	name = strings.TrimSpace(name)
	if s.cfg.Lookup == nil {
		_, err := domain.ParseIDNumber(id)
		return err == nil, err == nil && name != ""
	}
	held, known := s.cfg.Lookup(id)
	return known, known && name == held
}

// validPerson answers 400 itself for a request without a well-formed ID
// number or name.
func validPerson(w http.ResponseWriter, req province.PersonRequest, needName bool) bool {
	if _, err := domain.ParseIDNumber(req.IDNumber); err != nil {
		fail(w, http.StatusBadRequest, province.ReasonInvalidParameter, "身份证号码无效")
		return false
	}
	if needName && strings.TrimSpace(req.Name) == "" {
		fail(w, http.StatusBadRequest, province.ReasonInvalidParameter, "姓名不能为空")
		return false
	}
	return true
}

func (s *Sim) verifyName(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.PersonRequest
	if !decode(w, body, &req) || !validPerson(w, req, true) {
		return
	}
	_, match := s.person(req.IDNumber, req.Name)
	province.WriteJSON(w, http.StatusOK, province.VerificationResponse{Envelope: success("成功"), Match: match})
}

// checkRealName answers 404 or 422 itself unless name is the person's.
func (s *Sim) checkRealName(w http.ResponseWriter, id, name string) bool {
	known, match := s.person(id, name)
	switch {
	case !known:
		fail(w, http.StatusNotFound, province.ReasonPersonNotFound, "未查询到该人员的参保信息")
	case !match:
		fail(w, http.StatusUnprocessableEntity, province.ReasonNameMismatch, "姓名与身份证号码不一致")
	}
	return match
}

func (s *Sim) issueCard(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.PersonRequest
	if !decode(w, body, &req) || !validPerson(w, req, true) || !s.checkRealName(w, req.IDNumber, req.Name) {
		return
	}
	c := s.sign(req.IDNumber, strings.TrimSpace(req.Name))
	province.WriteJSON(w, http.StatusOK, province.CardResponse{Envelope: success("签发成功"),
		CardID: c.id, IDNumber: c.idNumber, SignedAt: c.signedAt})
}

// sign returns the person's card, signing one if there is none yet.
func (s *Sim) sign(id, name string) card {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cards[id]; ok {
		return *c
	}
	c := &card{id: s.newID("EC"), idNumber: id, name: name, signedAt: s.now()}
	s.cards[id] = c
	s.cardOrder = append(s.cardOrder, id)
	if len(s.cardOrder) > s.cfg.MaxRecords {
		delete(s.cards, s.cardOrder[0])
		s.cardOrder = s.cardOrder[1:]
	}
	return *c
}

// cardOf returns the person's signed card.
func (s *Sim) cardOf(id string) (card, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cards[id]
	if !ok {
		return card{}, false
	}
	return *c, true
}
