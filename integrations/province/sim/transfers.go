package sim

import (
	"net/http"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/transfer"
	"github.com/dandong-hrss/hrss/integrations/province"
)

// path is the steps a transfer goes through when nothing goes wrong.
var path = []string{
	province.StatusAccepted, province.StatusOutReview, province.StatusInReceive,
	province.StatusFundTransfer, province.StatusCompleted,
}

// returnReasons says why a transfer is returned at the step it reached:
// the region left finds arrears, or the region joined finds no registration.
var returnReasons = map[int]string{
	1: "转出地审核未通过：存在未缴清的欠费记录，请补缴后重新申请",
	2: "转入地不予接收：未查询到转入地参保登记，请先在转入地办理参保登记",
}

// record is one filed transfer. Its status is not stored: it is a function
// of the time since submission, so it moves on the simulator's clock alone.
type record struct {
	no        string
	req       province.TransferRequest
	submitted time.Time
	returnAt  int // the step (1 or 2) whose review returns it; 0 if none
	notified  int // steps already posted to the callback
}

// steps returns the steps reached by now, the last being the status.
func (r *record) steps(now time.Time, interval time.Duration) []province.TransferStep {
	n := min(int(now.Sub(r.submitted)/interval), len(path)-1)
	out := []province.TransferStep{{Status: path[0], At: r.submitted}}
	for k := 1; k <= n; k++ {
		at := r.submitted.Add(time.Duration(k) * interval)
		if r.returnAt > 0 && k == r.returnAt+1 {
			return append(out, province.TransferStep{Status: province.StatusReturned, At: at})
		}
		out = append(out, province.TransferStep{Status: path[k], At: at})
	}
	return out
}

// view is the transfer as the platform reports it once it has reached
// steps.
func (r *record) view(steps []province.TransferStep) province.TransferRecord {
	last := steps[len(steps)-1].Status
	v := province.TransferRecord{TransferNo: r.no, TransferRequest: r.req, Status: last,
		Steps: steps, SubmittedAt: r.submitted}
	if last == province.StatusReturned {
		v.Reason = returnReasons[r.returnAt]
	}
	return v
}

func final(status string) bool {
	return status == province.StatusCompleted || status == province.StatusReturned
}

// transfers is the platform's book of transfers, guarded by Sim.mu.
type transfers struct {
	byNo      map[string]*record
	byRequest map[string]string // request id → transfer no: the de-duplication
	open      map[string]string // person+insurance+direction → latest transfer no
	order     []string          // transfer numbers, oldest first
	active    []string          // transfer numbers with steps not yet posted to the callback
	callback  string
}

func newTransfers(callback string) *transfers {
	return &transfers{byNo: map[string]*record{}, byRequest: map[string]string{}, open: map[string]string{}, callback: callback}
}

func openKey(req province.TransferRequest) string {
	return req.IDNumber + "/" + req.InsuranceType + "/" + req.Direction
}

func (s *Sim) submitTransfer(w http.ResponseWriter, _ *http.Request, body []byte) {
	var req province.TransferRequest
	if !decode(w, body, &req) {
		return
	}
	if msg := transferFault(req); msg != "" {
		fail(w, http.StatusBadRequest, province.ReasonInvalidParameter, msg)
		return
	}
	v, status, code, msg := s.file(req)
	if status != http.StatusOK {
		fail(w, status, code, msg)
		return
	}
	province.WriteJSON(w, http.StatusOK, province.TransferResponse{Envelope: success("受理成功"), TransferRecord: v})
}

// file records a new transfer, or returns the one already filed under the
// request id; a refusal comes back as status, code and message.
func (s *Sim) file(req province.TransferRequest) (v province.TransferRecord, status int, code, msg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, now := s.transfers, s.now()
	if no, ok := t.byRequest[req.RequestID]; ok {
		r := t.byNo[no]
		if r.req != req {
			return v, http.StatusConflict, province.ReasonRequestIDReused, "申请流水号已用于其他申请"
		}
		return r.view(r.steps(now, s.cfg.StepInterval)), http.StatusOK, "", ""
	}
	if no, ok := t.open[openKey(req)]; ok {
		if r := t.byNo[no]; r != nil && !final(r.view(r.steps(now, s.cfg.StepInterval)).Status) {
			return v, http.StatusConflict, province.ReasonTransferInProgress, "该人员已有在途的转移申请"
		}
	}
	r := &record{no: s.newID("ZY"), req: req, submitted: now}
	returned, step := s.rng.Float64() < s.cfg.ReturnRate, 1+s.rng.IntN(2) // always two draws
	if returned {
		r.returnAt = step
	}
	s.keep(r)
	return r.view(r.steps(now, s.cfg.StepInterval)), http.StatusOK, "", ""
}

// keep adds r to the book, dropping the oldest beyond MaxRecords; called
// with s.mu held.
func (s *Sim) keep(r *record) {
	t := s.transfers
	t.byNo[r.no] = r
	t.byRequest[r.req.RequestID] = r.no
	t.open[openKey(r.req)] = r.no
	t.order = append(t.order, r.no)
	t.active = append(t.active, r.no)
	if len(t.active) > s.cfg.MaxRecords { // no callback has taken them for long
		t.active = t.active[1:]
	}
	if len(t.order) > s.cfg.MaxRecords {
		old := t.byNo[t.order[0]]
		delete(t.byNo, old.no)
		delete(t.byRequest, old.req.RequestID)
		if t.open[openKey(old.req)] == old.no {
			delete(t.open, openKey(old.req))
		}
		t.order = t.order[1:]
	}
}

// transferFault returns why the platform refuses req as malformed, or "".
func transferFault(req province.TransferRequest) string {
	switch {
	case req.RequestID == "" || len(req.RequestID) > 64:
		return "申请流水号缺失或过长"
	case req.Direction != province.DirectionOut && req.Direction != province.DirectionIn:
		return "转移方向无效"
	case req.InsuranceType != province.InsuranceEnterprisePension &&
		req.InsuranceType != province.InsurancePublicPension && req.InsuranceType != province.InsuranceUnemployment:
		return "险种代码无效"
	case !transfer.IsRegionCode(req.FromRegion) || !transfer.IsRegionCode(req.ToRegion) || req.FromRegion == req.ToRegion:
		return "转出地或转入地行政区划代码无效"
	case req.FromRegionName == "" || req.ToRegionName == "":
		return "转出地或转入地名称缺失"
	}
	if _, err := domain.ParseIDNumber(req.IDNumber); err != nil {
		return "身份证号码无效"
	}
	if req.UnitCreditCode != "" {
		if _, _, err := domain.ParseCreditCode(req.UnitCreditCode); err != nil {
			return "统一社会信用代码无效"
		}
	}
	return ""
}

func (s *Sim) transferStatus(w http.ResponseWriter, r *http.Request, _ []byte) {
	v, found := s.transfer(r.PathValue("no"))
	if !found {
		fail(w, http.StatusNotFound, province.ReasonTransferNotFound, "转移申请不存在")
		return
	}
	province.WriteJSON(w, http.StatusOK, province.TransferResponse{Envelope: success("成功"), TransferRecord: v})
}

// transfer returns the transfer numbered no as it stands now.
func (s *Sim) transfer(no string) (province.TransferRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, found := s.transfers.byNo[no]
	if !found {
		return province.TransferRecord{}, false
	}
	return r.view(r.steps(s.now(), s.cfg.StepInterval)), true
}

// Transfers returns every transfer kept, as it stands now, oldest first.
func (s *Sim) Transfers() []province.TransferRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]province.TransferRecord, 0, len(s.transfers.order))
	for _, no := range s.transfers.order {
		r := s.transfers.byNo[no]
		out = append(out, r.view(r.steps(s.now(), s.cfg.StepInterval)))
	}
	return out
}

func (s *Sim) listTransfers(w http.ResponseWriter, _ *http.Request) {
	province.WriteJSON(w, http.StatusOK, s.Transfers())
}
