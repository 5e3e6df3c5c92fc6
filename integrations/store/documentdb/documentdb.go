// Package documentdb keeps the record of every printed document (打印记录)
// in the durable database, MySQL or SQLite, in the document_print table. It
// implements document.Store: a record is written once and read by its
// serial; nothing here updates or deletes one.
package documentdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// Store is the print record on MySQL or SQLite. It is safe for concurrent use.
type Store struct {
	db *store.DB
}

var _ document.Store = (*Store)(nil)

// New returns the store on db, whose schema has been migrated.
func New(db *store.DB) *Store { return &Store{db: db} }

// row is a document_print row.
type row struct {
	Serial     string    `db:"serial"`
	Kind       string    `db:"kind"`
	Title      string    `db:"title"`
	Subject    string    `db:"subject"`
	SubjectRef string    `db:"subject_ref"`
	ActorKind  string    `db:"actor_kind"`
	ActorRef   string    `db:"actor_ref"`
	Channel    string    `db:"channel"`
	DeviceID   string    `db:"device_id"`
	PageSize   string    `db:"page_size"`
	IssuedAt   time.Time `db:"issued_at"`
	Digest     string    `db:"digest"`
	RequestID  string    `db:"request_id"`
	Content    string    `db:"content"`
}

const columns = `serial, kind, title, subject, subject_ref, actor_kind, actor_ref, channel, device_id,
	page_size, issued_at, digest, request_id, content`

// Save implements document.Store. The content is stored as the canonical
// JSON the digest covers, so it reads back to the same digest. Errors:
// Conflict when the serial is taken; Unavailable.
func (s *Store) Save(ctx context.Context, r document.Record) error {
	content, err := json.Marshal(r.Content)
	if err != nil {
		return fmt.Errorf("encode document %s: %w", r.Serial, err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO document_print (`+columns+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		r.Serial, string(r.Kind), r.Title, r.Subject, r.SubjectRef, string(r.RequestedBy.Kind), r.RequestedBy.Ref,
		string(r.Channel), r.DeviceID, string(r.PageSize), r.IssuedAt.UTC().Truncate(time.Millisecond),
		r.Digest, r.RequestID, string(content))
	if store.IsDuplicate(err) {
		return domain.Wrap(err, domain.Conflict, "该文书编号已存在")
	}
	return unavailable(err)
}

// Record implements document.Store. Errors: NotFound; Unavailable;
// Internal when the stored content is not readable.
func (s *Store) Record(ctx context.Context, serial string) (document.Record, error) {
	var rows []row
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+columns+` FROM document_print WHERE serial = ?`, serial); err != nil {
		return document.Record{}, unavailable(err)
	}
	if len(rows) == 0 {
		return document.Record{}, domain.Errorf(domain.NotFound, "未找到该文书")
	}
	r := rows[0]
	var c document.Content
	if err := json.Unmarshal([]byte(r.Content), &c); err != nil {
		return document.Record{}, domain.Wrap(fmt.Errorf("document %s content: %w", r.Serial, err), domain.Internal, "该文书记录无法读取，请到服务大厅窗口核实")
	}
	return document.Record{
		Serial: r.Serial, Kind: document.Kind(r.Kind), Title: r.Title, Subject: r.Subject, SubjectRef: r.SubjectRef,
		RequestedBy: document.Actor{Kind: audit.ActorKind(r.ActorKind), Ref: r.ActorRef},
		Channel:     domain.Channel(r.Channel), DeviceID: r.DeviceID, PageSize: document.PageSize(r.PageSize),
		IssuedAt: r.IssuedAt.UTC(), Digest: r.Digest, RequestID: r.RequestID, Content: c,
	}, nil
}

// unavailable wraps a database failure; nil and domain errors pass.
func unavailable(err error) error {
	var de *domain.Error
	if err == nil || errors.As(err, &de) {
		return err
	}
	return domain.Wrap(err, domain.Unavailable, "文书记录暂时无法访问，请稍后重试")
}
