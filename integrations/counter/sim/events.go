package sim

import (
	"context"
	"strconv"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/jmoiron/sqlx"
)

// eventDraft is what an operation says about the change it made.
type eventDraft struct {
	kind    acceptance.EventKind
	step    stepDef // the step concerned; zero: the case's current step
	staff   string  // display name of who acted; "" for the applicant or the system
	comment string
}

// record saves c (whose fields the operation has changed) and appends the
// event of the change, with a webhook delivery owed when a webhook is set,
// all in tx: a change is never without its event, nor an event without its
// change.
func (s *Sim) record(ctx context.Context, tx *sqlx.Tx, c *caseRow, e eventDraft) error {
	c.LastSeq++
	if err := saveCase(ctx, tx, c); err != nil {
		return err
	}
	if e.step.Code == "" {
		e.step, _ = s.wf.step(c.MatterCode, c.Step)
	}
	id, err := s.nextEventID(ctx, tx)
	if err != nil {
		return err
	}
	at := now()
	_, err = tx.ExecContext(ctx, `INSERT INTO csim_events (id, case_id, case_no, application_id, seq, kind,
		status, step, step_name, office, staff, comment, promised_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, c.ID, c.CaseNo, c.ApplicationID, c.LastSeq, string(e.kind), c.Status, e.step.Code, e.step.Name,
		e.step.Office, e.staff, e.comment, c.PromisedBy, at)
	if err != nil || *s.webhook.Load() == "" {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO csim_deliveries (event_id, case_id, seq, next_at) VALUES (?, ?, ?, ?)`,
		id, c.ID, c.LastSeq, at)
	return err
}

// nextEventID takes the next event id from csim_sequences. On MySQL the row
// stays locked until the transaction commits, so events commit in id order
// and a poller's cursor never skips an event committed late. Every
// transaction takes it last, after its case, so it adds no deadlock.
func (s *Sim) nextEventID(ctx context.Context, tx *sqlx.Tx) (int64, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE csim_sequences SET value = value + 1 WHERE name = 'event'`); err != nil {
		return 0, err
	}
	var id int64
	err := tx.GetContext(ctx, &id, `SELECT value FROM csim_sequences WHERE name = 'event'`+s.forUpdate())
	return id, err
}

// listEvents answers a poll: up to limit events after the cursor.
func (s *Sim) listEvents(ctx context.Context, after string, limit int) (counter.EventPage, error) {
	var from int64
	if after != "" {
		n, err := strconv.ParseInt(after, 10, 64)
		if err != nil || n < 0 {
			return counter.EventPage{}, domain.InvalidFields(domain.FieldError{Field: "after", Message: "事件游标无效"})
		}
		from = n
	}
	var rows []eventRow
	err := s.db.SelectContext(ctx, &rows, `SELECT `+eventColumns+` FROM csim_events WHERE id > ? ORDER BY id LIMIT ?`, from, limit)
	if err != nil {
		return counter.EventPage{}, err
	}
	page := counter.EventPage{Events: make([]counter.Event, 0, len(rows)), Next: after}
	for _, r := range rows {
		page.Events = append(page.Events, eventToWire(r))
		page.Next = strconv.FormatInt(r.ID, 10)
	}
	return page, nil
}

func eventToWire(r eventRow) counter.Event {
	return counter.Event{
		ID:            strconv.FormatInt(r.ID, 10),
		CaseNo:        r.CaseNo,
		Seq:           r.Seq,
		ApplicationID: r.ApplicationID,
		Kind:          r.Kind,
		Status:        r.Status,
		Step:          r.Step,
		StepName:      r.StepName,
		Office:        r.Office,
		Staff:         r.Staff,
		Comment:       r.Comment,
		PromisedBy:    r.PromisedBy,
		At:            r.At.In(domain.Beijing),
	}
}
