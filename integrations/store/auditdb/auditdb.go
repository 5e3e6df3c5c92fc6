// Package auditdb keeps the audit log (审计日志) in the durable database,
// MySQL or SQLite, in the audit_log table. It implements audit.Store and is
// append-only by construction: it has no method that updates or deletes a
// row. Retention (at least six months under GB/T 22239) is the database
// administrator's, by partition or archive, outside this server.
package auditdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// rowsPerStatement bounds one INSERT: 500 rows of 9 values stays far below
// SQLite's and MySQL's placeholder and packet limits.
const rowsPerStatement = 500

const columns = "at, actor_kind, actor_ref, channel, action, outcome, subject_ref, request_id, detail"

// rowPlaceholders is one row of the multi-row INSERT.
const rowPlaceholders = "(?,?,?,?,?,?,?,?,?)"

// sqliteTime is how SQLite keeps at: fixed width in UTC, so text order is
// time order and the (subject_ref, at) index sorts correctly.
const sqliteTime = "2006-01-02 15:04:05.000"

// Store is the audit log on MySQL or SQLite. It is safe for concurrent use.
type Store struct {
	db *store.DB
}

var _ audit.Store = (*Store)(nil)

// New returns the audit log store on db, whose schema has been migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

// Append writes entries in order with one multi-row INSERT per 500 entries;
// more than one statement run in a transaction, so a batch is written whole
// or not at all. Error: Unavailable when the database fails.
func (s *Store) Append(ctx context.Context, entries []audit.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	if len(entries) <= rowsPerStatement {
		return unavailable(s.insert(ctx, s.db, entries))
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return unavailable(err)
	}
	defer tx.Rollback()
	for start := 0; start < len(entries); start += rowsPerStatement {
		if err := s.insert(ctx, tx, entries[start:min(start+rowsPerStatement, len(entries))]); err != nil {
			return unavailable(err)
		}
	}
	return unavailable(tx.Commit())
}

// insert writes entries with one statement.
func (s *Store) insert(ctx context.Context, db sqlx.ExecerContext, entries []audit.Entry) error {
	var q strings.Builder
	q.Grow(64 + len(columns) + len(entries)*(len(rowPlaceholders)+1))
	q.WriteString("INSERT INTO audit_log (" + columns + ") VALUES ")
	args := make([]any, 0, 9*len(entries))
	for i, e := range entries {
		if i > 0 {
			q.WriteByte(',')
		}
		q.WriteString(rowPlaceholders)
		detail, err := encodeDetail(e.Detail)
		if err != nil {
			return err
		}
		args = append(args, s.timeArg(e.At), string(e.ActorKind), e.ActorRef, string(e.Channel),
			e.Action, outcome(e.Outcome), e.SubjectRef, e.RequestID, detail)
	}
	if _, err := db.ExecContext(ctx, q.String(), args...); err != nil {
		return fmt.Errorf("append %d audit entries: %w", len(entries), err)
	}
	return nil
}

// ForSubject returns the latest entries about subjectRef, newest first;
// entries of the same millisecond come in reverse order of writing.
// Error: Unavailable when the database fails.
func (s *Store) ForSubject(ctx context.Context, subjectRef string, limit int) ([]audit.Entry, error) {
	if limit < 1 || limit > 1000 {
		limit = 100
	}
	rows, err := s.db.QueryxContext(ctx, "SELECT "+columns+" FROM audit_log WHERE subject_ref = ? ORDER BY at DESC, id DESC LIMIT ?", subjectRef, limit)
	if err != nil {
		return nil, unavailableRead(err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, unavailableRead(err)
		}
		out = append(out, e)
	}
	return out, unavailableRead(rows.Err())
}

// scanEntry reads one row in the order of columns.
func scanEntry(rows *sqlx.Rows) (audit.Entry, error) {
	var (
		e       audit.Entry
		at      dbTime
		kind    string
		channel string
		detail  sql.NullString
	)
	if err := rows.Scan(&at, &kind, &e.ActorRef, &channel, &e.Action, &e.Outcome, &e.SubjectRef, &e.RequestID, &detail); err != nil {
		return e, err
	}
	e.At, e.ActorKind, e.Channel = at.In(domain.Beijing), audit.ActorKind(kind), domain.Channel(channel)
	if detail.Valid && detail.String != "" {
		if err := json.Unmarshal([]byte(detail.String), &e.Detail); err != nil {
			return e, fmt.Errorf("audit detail: %w", err)
		}
	}
	return e, nil
}

// timeArg is at as the dialect stores it, to the millisecond in UTC.
func (s *Store) timeArg(at time.Time) any {
	at = at.UTC().Truncate(time.Millisecond)
	if s.db.Dialect == store.SQLite {
		return at.Format(sqliteTime)
	}
	return at
}

// encodeDetail is the detail column: JSON, or NULL when there is none.
func encodeDetail(d map[string]string) (any, error) {
	if len(d) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("audit detail: %w", err)
	}
	return string(b), nil
}

// outcome stores an empty outcome as success, as the column default does.
func outcome(o string) string {
	if o == "" {
		return audit.OK
	}
	return o
}

// dbTime scans at from either dialect: MySQL gives time.Time, SQLite text.
type dbTime struct{ time.Time }

func (t *dbTime) Scan(src any) error {
	var err error
	switch v := src.(type) {
	case time.Time:
		t.Time = v
	case string:
		t.Time, err = time.ParseInLocation(sqliteTime, v, time.UTC)
	case []byte:
		t.Time, err = time.ParseInLocation(sqliteTime, string(v), time.UTC)
	default:
		err = fmt.Errorf("audit time: unexpected %T", src)
	}
	return err
}

func unavailable(err error) error {
	if err == nil {
		return nil
	}
	return domain.Wrap(err, domain.Unavailable, "审计日志暂时无法写入")
}

func unavailableRead(err error) error {
	if err == nil {
		return nil
	}
	return domain.Wrap(err, domain.Unavailable, "审计记录暂时无法查询，请稍后再试")
}
