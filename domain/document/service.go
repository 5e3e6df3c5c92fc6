package document

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// Store keeps the record of every print (打印记录). Records are never
// changed or deleted through it.
type Store interface {
	// Save records a print. Errors: Conflict when the serial is taken
	// already; Unavailable when the database fails.
	Save(ctx context.Context, r Record) error
	// Record returns the print with serial. Errors: NotFound; Unavailable;
	// Internal when the stored content cannot be read.
	Record(ctx context.Context, serial string) (Record, error)
}

// Renderer draws a sheet as a PDF (integrations/pdf).
type Renderer interface {
	// Render lays out s on its page size. Errors: Internal.
	Render(ctx context.Context, s Sheet) ([]byte, error)
}

// Sheet is what the Renderer draws: the content, its digest (printed in the
// footer so the paper can be compared with the verify page) and the verify
// address the QR code holds.
type Sheet struct {
	Content
	Digest    string
	VerifyURL string
}

// Auditor records who printed what about whom; *audit.Recorder is one.
type Auditor interface {
	Record(ctx context.Context, e audit.Entry)
}

// Config is what New needs. Store, Renderer, Sealer and VerifyBaseURL are
// required.
type Config struct {
	Store    Store
	Renderer Renderer
	Sealer   privacy.Sealer // computes the subject's blind index for the record
	Audit    Auditor        // optional: each print also goes to the audit log
	// VerifyBaseURL is the public address of this server as a phone
	// outside the bureau's network reaches it (https://rs.dandong.gov.cn);
	// the QR code holds VerifyBaseURL + "/verify/" + serial.
	VerifyBaseURL string
	Authority     string           // header line 1; default 丹东市人力资源和社会保障局
	Office        string           // header line 2 and issuer; default 丹东市社会保险事业服务中心
	Now           func() time.Time // default time.Now
	Random        io.Reader        // serial randomness; default crypto/rand
}

// The bureau's names as its documents print them.
const (
	DefaultAuthority = "丹东市人力资源和社会保障局"
	DefaultOffice    = "丹东市社会保险事业服务中心"
)

// Service issues and verifies documents. It is safe for concurrent use.
type Service struct {
	cfg Config
}

// New returns the Service; it fails when a required part is missing.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Renderer == nil || cfg.Sealer == nil || cfg.VerifyBaseURL == "" {
		return nil, errors.New("document: Store, Renderer, Sealer and VerifyBaseURL are required")
	}
	cfg.VerifyBaseURL = strings.TrimRight(cfg.VerifyBaseURL, "/")
	if cfg.Authority == "" {
		cfg.Authority = DefaultAuthority
	}
	if cfg.Office == "" {
		cfg.Office = DefaultOffice
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Random == nil {
		cfg.Random = rand.Reader
	}
	return &Service{cfg: cfg}, nil
}

// Printed is an issued document: its serial and the PDF to print or send.
type Printed struct {
	Serial    string
	PDF       []byte
	Digest    string
	IssuedAt  time.Time
	VerifyURL string
}

// VerifyURL is the public page that verifies the document with serial.
func (s *Service) VerifyURL(serial string) string { return s.cfg.VerifyBaseURL + "/verify/" + serial }

// maxSerialAttempts bounds the redraws after a serial collision, which at
// 40 random bits per day does not happen in practice.
const maxSerialAttempts = 3

// Issue checks d, gives it a serial, renders it and records the print; a
// document that could not be recorded is not handed out. Errors: Invalid
// when d is incomplete or too large; Unavailable when the record cannot be
// written; Internal when rendering fails.
func (s *Service) Issue(ctx context.Context, d Document) (Printed, error) {
	p, err := s.issue(ctx, d)
	if s.cfg.Audit != nil && d.RequestedBy.Kind != "" {
		s.cfg.Audit.Record(ctx, s.auditEntry(d, p, err))
	}
	return p, err
}

func (s *Service) issue(ctx context.Context, d Document) (Printed, error) {
	if err := check(d); err != nil {
		return Printed{}, err
	}
	now := s.cfg.Now()
	by := IssuedBy{Authority: s.cfg.Authority, Office: s.cfg.Office}
	for attempt := 1; ; attempt++ {
		serial, err := newSerial(s.cfg.Random, now)
		if err != nil {
			return Printed{}, err
		}
		c := contentOf(d, serial, now, by)
		sheet := Sheet{Content: c, Digest: c.Digest(), VerifyURL: s.VerifyURL(serial)}
		pdf, err := s.cfg.Renderer.Render(ctx, sheet)
		if err != nil {
			return Printed{}, err
		}
		err = s.cfg.Store.Save(ctx, s.recordOf(d, sheet))
		if domain.IsCode(err, domain.Conflict) && attempt < maxSerialAttempts {
			continue
		}
		if err != nil {
			return Printed{}, err
		}
		return Printed{Serial: serial, PDF: pdf, Digest: sheet.Digest, IssuedAt: c.Issued(), VerifyURL: sheet.VerifyURL}, nil
	}
}

// recordOf is the print record: the subject only as its blind index and
// masked summary.
func (s *Service) recordOf(d Document, sheet Sheet) Record {
	return Record{
		Serial: sheet.Serial, Kind: d.Kind, Title: sheet.Title, Subject: sheet.SubjectLine(), SubjectRef: s.subjectRef(d.Subject),
		RequestedBy: d.RequestedBy, Channel: d.Issuer.Channel, DeviceID: sheet.IssuedBy.DeviceID,
		PageSize: d.PageSize, IssuedAt: sheet.Issued(), Digest: sheet.Digest, Content: sheet.Content,
		RequestID: clip(d.RequestID, maxRef),
	}
}

// clip cuts an id to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// subjectRef is the blind index of the person's ID number or the unit's
// credit code, the reference the audit log uses too.
func (s *Service) subjectRef(sub Subject) string {
	if sub.ID != "" {
		return privacy.IDIndex(s.cfg.Sealer, sub.ID)
	}
	return privacy.UnitIndex(s.cfg.Sealer, sub.Unit)
}

func (s *Service) auditEntry(d Document, p Printed, err error) audit.Entry {
	e := audit.Entry{
		ActorKind: d.RequestedBy.Kind, ActorRef: d.RequestedBy.Ref, Channel: d.Issuer.Channel,
		Action: "document.print", Outcome: audit.OutcomeOf(err), RequestID: d.RequestID,
		SubjectRef: s.subjectRef(d.Subject), Detail: map[string]string{"kind": string(d.Kind)},
	}
	if err == nil {
		e.Detail["serial"] = p.Serial
	}
	return e
}

// Verify returns the record of the document with serial, as typed or
// scanned (see ParseSerial). Errors: NotFound for an unknown or malformed
// serial; Unavailable.
func (s *Service) Verify(ctx context.Context, serial string) (Record, error) {
	sn, ok := ParseSerial(serial)
	if !ok {
		return Record{}, notFound()
	}
	r, err := s.cfg.Store.Record(ctx, sn)
	if domain.IsCode(err, domain.NotFound) {
		return Record{}, notFound()
	}
	return r, err
}

func notFound() error {
	return domain.Errorf(domain.NotFound, "未找到该文书，请核对文书编号是否正确")
}
