package sim

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/counter"
)

// maxBody bounds a request body; a submission's form is the largest.
const maxBody = 1 << 20

func (s *Sim) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+counter.PathCases, s.api(s.handleSubmit))
	mux.HandleFunc("GET "+counter.PathCase+"{caseNo}", s.api(s.handleCase))
	mux.HandleFunc("POST "+counter.PathCase+"{caseNo}"+counter.SuffixMaterials, s.api(s.handleSupply))
	mux.HandleFunc("POST "+counter.PathCase+"{caseNo}"+counter.SuffixWithdraw, s.api(s.handleWithdraw))
	mux.HandleFunc("GET "+counter.PathEvents, s.api(s.handleEvents))
	mux.HandleFunc("PUT "+counter.PathWebhook, s.api(s.handleWebhook))
	mux.HandleFunc("GET "+counter.PathStaffMe, s.staffAPI(s.handleMe))
	mux.HandleFunc("GET "+counter.PathTasks, s.staffAPI(s.handleTasks))
	mux.HandleFunc("GET "+counter.PathTask+"{id}", s.staffAPI(s.handleTask))
	mux.HandleFunc("POST "+counter.PathTask+"{id}/{op}", s.staffAPI(s.handleTaskOp))
	mux.HandleFunc("GET "+counter.PathStaffCase+"{caseNo}", s.staffAPI(s.handleFlow))
	return mux
}

// api admits requests bearing the BFF's API token.
func (s *Sim) api(next func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.APIToken)) != 1 {
			s.writeError(w, r, domain.Errorf(domain.Unauthenticated, "接入凭证无效"))
			return
		}
		if err := next(w, r); err != nil {
			s.writeError(w, r, err)
		}
	}
}

// staffAPI admits requests bearing a staff member's token and hands the
// staff member to next.
func (s *Sim) staffAPI(next func(http.ResponseWriter, *http.Request, *staff) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		st := s.wf.byToken[token]
		if st == nil || token == "" {
			s.writeError(w, r, domain.Errorf(domain.Unauthenticated, "登录已失效，请重新登录"))
			return
		}
		if err := next(w, r, st); err != nil {
			s.writeError(w, r, err)
		}
	}
}

func (s *Sim) handleSubmit(w http.ResponseWriter, r *http.Request) error {
	var req counter.SubmitRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	receipt, fresh, err := s.submit(r.Context(), req)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if fresh {
		status = http.StatusCreated
	}
	counter.WriteJSON(w, status, receipt)
	return nil
}

func (s *Sim) handleCase(w http.ResponseWriter, r *http.Request) error {
	c, err := s.view(r.Context(), r.PathValue("caseNo"))
	if err != nil {
		return err
	}
	counter.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (s *Sim) handleSupply(w http.ResponseWriter, r *http.Request) error {
	var req counter.MaterialsRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.supply(r.Context(), r.PathValue("caseNo"), req.Materials); err != nil {
		return err
	}
	return s.handleCase(w, r)
}

func (s *Sim) handleWithdraw(w http.ResponseWriter, r *http.Request) error {
	var req counter.WithdrawRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.withdraw(r.Context(), r.PathValue("caseNo"), req.Reason); err != nil {
		return err
	}
	return s.handleCase(w, r)
}

func (s *Sim) handleEvents(w http.ResponseWriter, r *http.Request) error {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > counter.MaxEventPage {
			return domain.InvalidFields(domain.FieldError{Field: "limit", Message: "每页条数应在1到1000之间"})
		}
		limit = n
	}
	page, err := s.listEvents(r.Context(), r.URL.Query().Get("after"), limit)
	if err != nil {
		return err
	}
	counter.WriteJSON(w, http.StatusOK, page)
	return nil
}

func (s *Sim) handleWebhook(w http.ResponseWriter, r *http.Request) error {
	var req counter.WebhookRequest
	if err := readJSON(w, r, &req); err != nil {
		return err
	}
	u, err := url.ParseRequestURI(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return domain.InvalidFields(domain.FieldError{Field: "url", Message: "推送地址应为完整的http(s)地址"})
	}
	s.SetWebhookURL(req.URL)
	counter.WriteJSON(w, http.StatusOK, req)
	return nil
}

func (s *Sim) handleMe(w http.ResponseWriter, _ *http.Request, st *staff) error {
	counter.WriteJSON(w, http.StatusOK, s.staffToWire(st))
	return nil
}

func (s *Sim) handleTasks(w http.ResponseWriter, r *http.Request, st *staff) error {
	tasks, err := s.tasks(r.Context(), st, r.URL.Query().Get("scope"))
	if err != nil {
		return err
	}
	counter.WriteJSON(w, http.StatusOK, counter.TaskList{Tasks: tasks})
	return nil
}

func (s *Sim) handleTask(w http.ResponseWriter, r *http.Request, _ *staff) error {
	id, err := taskID(r)
	if err != nil {
		return err
	}
	t, err := s.task(r.Context(), id)
	if err != nil {
		return err
	}
	counter.WriteJSON(w, http.StatusOK, t)
	return nil
}

// handleTaskOp runs one task operation and answers with the task after it.
func (s *Sim) handleTaskOp(w http.ResponseWriter, r *http.Request, st *staff) error {
	id, err := taskID(r)
	if err != nil {
		return err
	}
	var body opBody
	if err := readJSON(w, r, &body); err != nil {
		return err
	}
	if err := s.runOp(r.Context(), st, id, r.PathValue("op"), body); err != nil {
		return err
	}
	return s.handleTask(w, r, st)
}

// opBody is the union of the task operations' bodies (TransferRequest,
// CommentRequest, SendBackRequest, CompleteRequest, RouteRequest).
type opBody struct {
	Outcome    string `json:"outcome"`
	Comment    string `json:"comment"`
	To         string `json:"to"`
	Step       string `json:"step"`
	MatterCode string `json:"matterCode"`
}

func (s *Sim) runOp(ctx context.Context, st *staff, id int64, op string, b opBody) error {
	switch op {
	case counter.OpClaim:
		return s.claim(ctx, st, id)
	case counter.OpRelease:
		return s.release(ctx, st, id)
	case counter.OpGrab:
		return s.grab(ctx, st, id)
	case counter.OpTransfer:
		return s.transfer(ctx, st, id, b.To)
	case counter.OpTerminate:
		return s.terminate(ctx, st, id, b.Comment)
	case counter.OpSendBack:
		return s.sendBack(ctx, st, id, b.Step, b.Comment)
	case counter.OpRevoke:
		return s.revoke(ctx, st, id)
	case counter.OpComplete:
		return s.complete(ctx, st, id, b.Outcome, b.Comment)
	case counter.OpRoute:
		return s.route(ctx, st, id, b.MatterCode, b.Comment)
	}
	return domain.Errorf(domain.NotFound, "不支持的任务操作")
}

func (s *Sim) handleFlow(w http.ResponseWriter, r *http.Request, _ *staff) error {
	f, err := s.flow(r.Context(), r.PathValue("caseNo"))
	if err != nil {
		return err
	}
	counter.WriteJSON(w, http.StatusOK, f)
	return nil
}

func taskID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.NotFound, "未找到该任务")
	}
	return id, nil
}

// readJSON decodes a request body into v; an empty body leaves v as it is.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody)).Decode(v)
	var tooBig *http.MaxBytesError
	switch {
	case err == nil || errors.Is(err, io.EOF):
		return nil
	case errors.As(err, &tooBig):
		return domain.Errorf(domain.TooLarge, "请求内容过大")
	}
	return domain.Wrap(err, domain.Invalid, "请求格式错误")
}

// statusOf is the HTTP status of each refusal.
var statusOf = map[domain.Code]int{
	domain.Invalid:         http.StatusBadRequest,
	domain.Unauthenticated: http.StatusUnauthorized,
	domain.Forbidden:       http.StatusForbidden,
	domain.NotFound:        http.StatusNotFound,
	domain.Conflict:        http.StatusConflict,
	domain.Rejected:        http.StatusUnprocessableEntity,
	domain.TooLarge:        http.StatusRequestEntityTooLarge,
}

// writeError answers a refusal in the envelope, with its domain code; any
// other failure is logged and answered 500 without internals.
func (s *Sim) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var de *domain.Error
	if errors.As(err, &de) {
		if status, ok := statusOf[de.Code]; ok {
			counter.WriteJSON(w, status, counter.Envelope{Code: string(de.Code), Message: de.Message, Fields: de.Fields})
			return
		}
	}
	if r.Context().Err() == nil {
		s.cfg.Logger.Error("counter sim request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	counter.WriteJSON(w, http.StatusInternalServerError, counter.Envelope{Code: string(domain.Internal), Message: "系统繁忙，请稍后重试"})
}

// writeSystemError is the core's answer to an injected failure.
func writeSystemError(w http.ResponseWriter, _ *http.Request) {
	counter.WriteJSON(w, http.StatusServiceUnavailable, counter.Envelope{Code: string(domain.Unavailable), Message: "系统繁忙，请稍后重试"})
}
