package sim

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/jmoiron/sqlx"
)

// submit accepts an application, or finds the case it already opened; fresh
// reports which.
func (s *Sim) submit(ctx context.Context, req counter.SubmitRequest) (r counter.Receipt, fresh bool, err error) {
	if err := submissionOf(req).Validate(); err != nil {
		return r, false, err
	}
	h := fnv.New32a()
	h.Write([]byte(req.ApplicationID))
	lock := &s.submitLocks[h.Sum32()%uint32(len(s.submitLocks))]
	lock.Lock()
	defer lock.Unlock()
	c, err := s.caseBy(ctx, "application_id", req.ApplicationID)
	if err == nil {
		r, err = s.repeat(c, req)
		return r, false, err
	}
	if !domain.IsCode(err, domain.NotFound) {
		return r, false, err
	}
	c, err = s.open(ctx, req)
	if store.IsDuplicate(err) { // a concurrent repeat won the race
		if c, err = s.caseBy(ctx, "application_id", req.ApplicationID); err == nil {
			r, err = s.repeat(c, req)
		}
		return r, false, err
	}
	if err != nil {
		return r, false, err
	}
	s.wake()
	return receiptOf(c), true, nil
}

// submissionOf reads the wire request as the domain's submission, so the
// core refuses exactly what the BFF's own validation refuses.
func submissionOf(req counter.SubmitRequest) acceptance.Submission {
	sub := acceptance.Submission{
		ApplicationID: req.ApplicationID, MatterCode: req.MatterCode, MatterName: req.MatterName,
		Applicant: acceptance.Applicant{Kind: acceptance.ApplicantKind(req.Applicant.Kind),
			Ref: req.Applicant.Ref, Display: req.Applicant.Display},
		Channel: domain.Channel(req.Channel), Form: req.Form, BundleID: req.BundleID,
	}
	for _, m := range req.Materials {
		sub.Materials = append(sub.Materials, acceptance.Material{Name: m.Name, Hash: m.Hash, Pledge: m.Pledge})
	}
	return sub
}

// repeat answers a repeated submission with the existing case's receipt,
// unless the id is being reused for something else.
func (s *Sim) repeat(c *caseRow, req counter.SubmitRequest) (counter.Receipt, error) {
	if c.RequestedMatter != req.MatterCode || c.ApplicantRef != req.Applicant.Ref {
		return counter.Receipt{}, domain.Errorf(domain.Conflict, "申请编号已用于另一项申请，请勿重复使用")
	}
	return receiptOf(c), nil
}

// open creates the case, its first task and its accepted event.
func (s *Sim) open(ctx context.Context, req counter.SubmitRequest) (*caseRow, error) {
	at := now()
	c := &caseRow{
		ApplicationID: req.ApplicationID, RequestedMatter: req.MatterCode, ApplicantKind: req.Applicant.Kind,
		ApplicantRef: req.Applicant.Ref, ApplicantDisplay: req.Applicant.Display, Channel: req.Channel,
		BundleID: req.BundleID, Form: string(req.Form), Materials: jsonOf(nonNil(req.Materials)),
		PrereqsClaimed: jsonOf(nonNil(req.PrerequisitesDone)), AcceptedAt: at,
	}
	if c.Form == "" {
		c.Form = "{}"
	}
	first, limit := s.wf.Generic.Step, s.wf.Generic.LimitDays
	c.Status, c.Generic, c.MatterName = string(acceptance.StatusAwaitingRouting), true, genericName(s.wf, req)
	if m := s.wf.matters[req.MatterCode]; m != nil {
		first, limit = m.steps[0], m.LimitDays
		c.Status, c.Generic, c.MatterCode, c.MatterName = string(acceptance.StatusInProgress), false, m.Code, m.Name
	}
	c.Step = first.Code
	c.PromisedBy = s.wf.calendar.promise(at, limit).Format(counter.DateLayout)
	pending, err := s.pendingPrereqs(ctx, s.db, c)
	if err != nil {
		return nil, err
	}
	c.PrereqsPending = jsonOf(pending)
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		c.LastSeq = 0
		if err := s.insertCase(ctx, tx, c); err != nil {
			return err
		}
		if _, err := insertTask(ctx, tx, c, first, nil); err != nil {
			return err
		}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventAccepted})
	})
	return c, err
}

func genericName(w *workflows, req counter.SubmitRequest) string {
	if req.MatterName != "" {
		return req.MatterName
	}
	return w.Generic.Name + "（" + req.MatterCode + "）"
}

// insertCase inserts c and gives it its case number: DD, the Beijing date of
// acceptance, and the row id in eight digits. Sixteen digits after the
// letters keep the log masker, which masks 18-digit runs, off it.
func (s *Sim) insertCase(ctx context.Context, tx *sqlx.Tx, c *caseRow) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO csim_cases (case_no, application_id, matter_code, matter_name,
		requested_matter, generic, applicant_kind, applicant_ref, applicant_display, channel, bundle_id, form,
		materials, prereqs_claimed, prereqs_pending, status, step, accepted_at, promised_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		"pending-"+c.ApplicationID, c.ApplicationID, c.MatterCode, c.MatterName, c.RequestedMatter, c.Generic,
		c.ApplicantKind, c.ApplicantRef, c.ApplicantDisplay, c.Channel, c.BundleID, c.Form, c.Materials,
		c.PrereqsClaimed, c.PrereqsPending, c.Status, c.Step, c.AcceptedAt, c.PromisedBy)
	if err != nil {
		return err
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	c.CaseNo = fmt.Sprintf("DD%s%08d", c.AcceptedAt.In(domain.Beijing).Format("20060102"), c.ID%100_000_000)
	_, err = tx.ExecContext(ctx, `UPDATE csim_cases SET case_no = ? WHERE id = ?`, c.CaseNo, c.ID)
	return err
}

// pendingPrereqs lists the prerequisites of c's matter that the applicant
// neither claimed done nor completed as a case here.
func (s *Sim) pendingPrereqs(ctx context.Context, q sqlx.QueryerContext, c *caseRow) ([]string, error) {
	pending := []string{}
	m := s.wf.matters[c.MatterCode]
	if m == nil {
		return pending, nil
	}
	var claimed []string
	json.Unmarshal([]byte(c.PrereqsClaimed), &claimed)
	for _, p := range m.Prerequisites {
		if slices.Contains(claimed, p) {
			continue
		}
		var done int
		err := sqlx.GetContext(ctx, q, &done, `SELECT COUNT(*) FROM csim_cases
			WHERE applicant_ref = ? AND matter_code = ? AND status = ?`, c.ApplicantRef, p, acceptance.StatusCompleted)
		if err != nil {
			return nil, err
		}
		if done == 0 {
			pending = append(pending, p)
		}
	}
	return pending, nil
}

// caseBy reads the case whose column (application_id or case_no) is value.
func (s *Sim) caseBy(ctx context.Context, column, value string) (*caseRow, error) {
	var c caseRow
	err := s.db.GetContext(ctx, &c, `SELECT `+caseColumns+` FROM csim_cases WHERE `+column+` = ?`, value)
	if err != nil {
		return nil, store.Translate(err, "办件")
	}
	return &c, nil
}

func receiptOf(c *caseRow) counter.Receipt {
	return counter.Receipt{
		CaseNo: c.CaseNo, ApplicationID: c.ApplicationID, MatterCode: c.MatterCode, MatterName: c.MatterName,
		AcceptedAt: c.AcceptedAt.In(domain.Beijing), PromisedBy: c.PromisedBy, Generic: c.Generic,
		PendingPrerequisites: listOf(c.PrereqsPending),
	}
}

// view returns a case as the BFF sees it, prerequisites as of now.
func (s *Sim) view(ctx context.Context, caseNo string) (counter.Case, error) {
	c, err := s.caseBy(ctx, "case_no", caseNo)
	if err != nil {
		return counter.Case{}, err
	}
	open, err := s.openTask(ctx, s.db, c.ID)
	if err != nil {
		return counter.Case{}, err
	}
	pending, err := s.pendingPrereqs(ctx, s.db, c)
	if err != nil {
		return counter.Case{}, err
	}
	return s.caseToWire(c, open, pending), nil
}

func (s *Sim) caseToWire(c *caseRow, open *taskRow, pending []string) counter.Case {
	final := acceptance.Status(c.Status).Final()
	out := counter.Case{
		CaseNo: c.CaseNo, ApplicationID: c.ApplicationID, MatterCode: c.MatterCode, MatterName: c.MatterName,
		Generic: c.Generic, Applicant: c.ApplicantDisplay, Channel: c.Channel, BundleID: c.BundleID,
		Status: c.Status, Comment: c.Comment, AcceptedAt: c.AcceptedAt.In(domain.Beijing),
		PromisedBy: c.PromisedBy, Steps: s.stepsOf(c, final), PendingPrerequisites: pending,
	}
	if !final {
		step, _ := s.wf.step(c.MatterCode, c.Step)
		out.Step, out.StepName, out.Office = step.Code, step.Name, step.Office
	}
	if open != nil && open.ClaimedBy.Valid {
		out.Staff = s.staffName(open.ClaimedBy.String)
	}
	if c.FinishedAt.Valid {
		t := c.FinishedAt.Time.In(domain.Beijing)
		out.FinishedAt = &t
	}
	return out
}

// stepsOf draws the workflow: steps before the current one done, the
// current one current, the rest pending; all done once completed.
func (s *Sim) stepsOf(c *caseRow, final bool) []counter.Step {
	_, cur := s.wf.step(c.MatterCode, c.Step)
	var out []counter.Step
	for i, st := range s.wf.flow(c.MatterCode) {
		state := acceptance.StepPending
		switch {
		case c.Status == string(acceptance.StatusCompleted) || i < cur:
			state = acceptance.StepDone
		case i == cur && !final:
			state = acceptance.StepCurrent
		}
		out = append(out, counter.Step{Code: st.Code, Name: st.Name, State: string(state)})
	}
	return out
}

func (s *Sim) staffName(id string) string {
	if st := s.wf.byID[id]; st != nil {
		return st.Name
	}
	return id
}

// supply takes the materials the staff asked for and reopens the case at
// the step that asked, in the hands of whoever asked.
func (s *Sim) supply(ctx context.Context, caseNo string, ms []counter.Material) error {
	if len(ms) == 0 || slices.ContainsFunc(ms, func(m counter.Material) bool { return m.Name == "" || m.Hash == "" }) {
		return domain.InvalidFields(domain.FieldError{Field: "materials", Message: "请提供需补齐的材料，每份都需要名称和内容摘要"})
	}
	hash := fingerprint(ms)
	return s.caseOp(ctx, caseNo, func(tx *sqlx.Tx, c *caseRow) error {
		if c.Status != string(acceptance.StatusAwaitingMaterials) {
			if c.SupplyHash == hash {
				return errRepeat
			}
			return domain.Errorf(domain.Conflict, "该办件当前无需补齐材料")
		}
		var asker string
		err := tx.GetContext(ctx, &asker, `SELECT done_by FROM csim_tasks WHERE case_id = ? AND outcome = ?
			ORDER BY id DESC LIMIT 1`, c.ID, counter.OutcomeMaterials)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var had []counter.Material
		json.Unmarshal([]byte(c.Materials), &had)
		c.Materials, c.SupplyHash, c.Comment = jsonOf(append(had, ms...)), hash, ""
		c.Status = string(acceptance.StatusInProgress)
		step, _ := s.wf.step(c.MatterCode, c.Step)
		if _, err := insertTask(ctx, tx, c, step, s.wf.byID[asker]); err != nil {
			return err
		}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventMaterialsSupplied})
	})
}

// withdraw closes the case at the applicant's request.
func (s *Sim) withdraw(ctx context.Context, caseNo, reason string) error {
	return s.caseOp(ctx, caseNo, func(tx *sqlx.Tx, c *caseRow) error {
		switch st := acceptance.Status(c.Status); {
		case st == acceptance.StatusWithdrawn:
			return errRepeat
		case st.Final():
			return domain.Errorf(domain.Conflict, "该办件已%s，无法撤回", st.Label())
		}
		at := now()
		_, err := tx.ExecContext(ctx, `UPDATE csim_tasks SET state = ?, done_at = ?, comment = '申请人撤回'
			WHERE case_id = ? AND state = 'open'`, counter.TaskCancelled, at, c.ID)
		if err != nil {
			return err
		}
		c.Status, c.Comment, c.FinishedAt = string(acceptance.StatusWithdrawn), reason, sql.NullTime{Time: at, Valid: true}
		return s.record(ctx, tx, c, eventDraft{kind: acceptance.EventWithdrawn, comment: reason})
	})
}

// errRepeat ends a case operation that had already been done: nothing to
// change, and success for the caller.
var errRepeat = errors.New("repeat of a completed operation")

// caseOp runs fn with the case locked, in a transaction.
func (s *Sim) caseOp(ctx context.Context, caseNo string, fn func(tx *sqlx.Tx, c *caseRow) error) error {
	c, err := s.caseBy(ctx, "case_no", caseNo)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		locked, err := s.lockCase(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		return fn(tx, locked)
	})
	if errors.Is(err, errRepeat) {
		return nil
	}
	if err == nil {
		s.wake()
	}
	return err
}

// fingerprint identifies a set of materials, to recognise a repeated supply.
func fingerprint(ms []counter.Material) string {
	h := sha256.New()
	for _, m := range ms {
		fmt.Fprintf(h, "%s\x00%s\x00", m.Name, m.Hash)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func listOf(s string) []string {
	out := []string{}
	json.Unmarshal([]byte(s), &out)
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
