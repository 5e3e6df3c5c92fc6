package sim

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/employment"
)

// educations are the levels the system records.
var educations = []string{"junior", "senior", "college", "bachelor", "master"}

// seekerFault returns why the system refuses req, or "".
func seekerFault(req employment.SeekerRequest) string {
	switch {
	case req.IDNumber == "":
		return "身份证号码缺失"
	case !slices.Contains(educations, req.Education):
		return "学历无效"
	case strings.TrimSpace(req.WantedPost) == "":
		return "求职意向岗位缺失"
	case areaName(req.WantedArea) == "":
		return "期望工作地区无效"
	case req.WantedSalary < 0:
		return "期望月薪无效"
	}
	if _, err := domain.ParseIDNumber(req.IDNumber); err != nil {
		return "身份证号码无效"
	}
	return ""
}

func (s *Sim) register(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req employment.SeekerRequest
	if !decode(w, body, &req) {
		return
	}
	if msg := seekerFault(req); msg != "" {
		fail(w, http.StatusBadRequest, employment.ReasonInvalidParameter, msg)
		return
	}
	if req.Skills == nil {
		req.Skills = []string{}
	}
	now := time.Now().In(domain.Beijing)
	s.mu.Lock()
	rec, ok := s.seekers[req.IDNumber]
	if !ok {
		rec = &employment.SeekerRecord{RegistrationNo: s.newRegistrationNo(now), RegisteredAt: now}
		s.seekers[req.IDNumber] = rec
	}
	rec.SeekerRequest, rec.UpdatedAt = req, now
	out := *rec
	s.mu.Unlock()
	employment.WriteJSON(w, http.StatusOK, employment.SeekerResponse{Envelope: success(), Seeker: out})
}

func (s *Sim) lookup(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req employment.LookupRequest
	if !decode(w, body, &req) {
		return
	}
	s.mu.Lock()
	rec, ok := s.seekers[req.IDNumber]
	var out employment.SeekerRecord
	if ok {
		out = *rec
	}
	s.mu.Unlock()
	if !ok {
		fail(w, http.StatusNotFound, employment.ReasonSeekerNotFound, "未进行求职登记")
		return
	}
	employment.WriteJSON(w, http.StatusOK, employment.SeekerResponse{Envelope: success(), Seeker: out})
}

// Seekers returns every registration, in no particular order.
func (s *Sim) Seekers() []employment.SeekerRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]employment.SeekerRecord, 0, len(s.seekers))
	for _, r := range s.seekers {
		out = append(out, *r)
	}
	return out
}

func (s *Sim) listSeekers(w http.ResponseWriter, _ *http.Request) {
	employment.WriteJSON(w, http.StatusOK, s.Seekers())
}
