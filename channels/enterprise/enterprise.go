// Package enterprise is the enterprise online declaration channel
// (企业网上申报, routes /ent/v1/...): an employer's operators sign in (unit
// operator accounts, domain/account), see their unit, its roll and its
// assessments, and file the unit's business — information changes, staff
// additions and removals (增员/减员, also in batches from a CSV or XLSX
// file), the annual base declaration (基数申报), the monthly declaration and
// assessment (月申报核定) with the month's wage changes, transfers out of
// and into the region through the provincial platform, unemployment-benefit
// registrations with their changes and withdrawal, employment certificates,
// the public institutions' declaration — and follow every application's
// progress in one list.
//
// Every filing goes through declaration.Submit with the request's
// Idempotency-Key: idempotent, committed with its outbox row before the
// answer, forwarded to the counter core, tracked by progress and rateable.
//
// Authorization is by unit. Every unit route carries the unit's credit code
// in its path and is refused (403) unless it is the unit of the session; a
// person named in a request or a path must be on the unit's roll at the
// business core, or the answer is 404, as for a person who does not exist.
// Administrator-only routes (operator management) check the role.
//
// Answers are shaped for the unit: ID numbers and phones masked, names
// masked, money in yuan from fen, dates in Chinese and times in +08:00.
package enterprise

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/domain/transfer"
)

// Prefix starts every route of the channel.
const Prefix = "/ent/v1"

// BatchStore keeps batch uploads (integrations/store/accountdb). Every
// method may return Unavailable.
type BatchStore interface {
	// StartBatch records a checked batch before its applications are filed;
	// when the unit used the key already it returns the earlier batch with
	// existing true and writes nothing.
	StartBatch(ctx context.Context, b account.Batch) (stored account.Batch, existing bool, err error)
	// BatchByKey returns the unit's batch started with an idempotency key.
	// Errors: NotFound.
	BatchByKey(ctx context.Context, unitRef, key string) (account.Batch, error)
	// FinishBatch lists the applications filed for a batch and marks it filed.
	FinishBatch(ctx context.Context, id string, applicationIDs []string, at time.Time) error
	// Batch returns one of the unit's batches. Errors: NotFound.
	Batch(ctx context.Context, unitRef, id string) (account.Batch, error)
	// Batches lists the unit's latest batches without their rows.
	Batches(ctx context.Context, unitRef string, limit int) ([]account.Batch, error)
}

// TransferStore keeps the follow-ups of staff transfers
// (integrations/store/accountdb). Every method may return Unavailable.
type TransferStore interface {
	// AddTransfer records a follow-up; adding one again returns the stored one.
	AddTransfer(ctx context.Context, t account.TransferFollow) (account.TransferFollow, error)
	// Transfer returns one of the unit's follow-ups. Errors: NotFound.
	Transfer(ctx context.Context, unitRef, applicationID string) (account.TransferFollow, error)
	// Transfers lists the unit's latest follow-ups.
	Transfers(ctx context.Context, unitRef string, limit int) ([]account.TransferFollow, error)
	// OpenTransfers lists follow-ups not yet final, least recently seen first.
	OpenTransfers(ctx context.Context, limit int) ([]account.TransferFollow, error)
	// SawTransfer records the platform's number and status as just seen.
	SawTransfer(ctx context.Context, applicationID, number string, status transfer.Status, at time.Time) error
	// MarkNotified moves the last texted status from from to to, reporting
	// whether this call did.
	MarkNotified(ctx context.Context, applicationID string, from, to transfer.Status) (bool, error)
}

// Printer issues printed documents (domain/document.Service).
type Printer interface {
	Issue(ctx context.Context, d document.Document) (document.Printed, error)
}

// Auditor records reads of people's data and every change (*audit.Recorder).
type Auditor interface {
	Record(ctx context.Context, e audit.Entry)
}

// Config is what the channel needs. Printer, Ratings, Audit, Logger and Now
// are optional; everything else is required.
type Config struct {
	Accounts     *account.Service
	Declarations *declaration.Service
	Progress     *progress.Service
	Catalog      *catalog.Service
	Core         insured.Core      // the business core, for the unit, its roll and its assessments
	Transfers    transfer.Platform // the provincial transfer platform
	Texter       account.Texter    // texts transfer status changes to the person
	Batches      BatchStore
	TransferLog  TransferStore
	Sealer       privacy.Sealer // seals batch rows and the people of transfers
	Printer      Printer        // nil: the employment notice is answered as data, not printed
	Ratings      *rating.Service
	Audit        Auditor
	Logger       *slog.Logger
	Now          func() time.Time
	// Home is the pooling region of the bureau, the other end of every
	// transfer; 210600 丹东市 if zero.
	Home transfer.Region
}

// Channel serves the enterprise routes. It is safe for concurrent use.
type Channel struct {
	cfg   Config
	units sync.Map // credit code → unit name, for the applicant display; names rarely change
}

// New returns the channel over cfg.
func New(cfg Config) *Channel {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Home.Code == "" {
		cfg.Home = transfer.Region{Code: "210600", Name: "丹东市"}
	}
	return &Channel{cfg: cfg}
}

// record writes an audit entry when an Auditor is configured.
func (ch *Channel) record(ctx context.Context, s account.Session, action, subject string, err error, detail map[string]string) {
	if ch.cfg.Audit == nil {
		return
	}
	ch.cfg.Audit.Record(ctx, audit.Entry{ActorKind: audit.UnitOperator, ActorRef: s.OperatorID, Channel: domain.Enterprise,
		Action: action, Outcome: audit.OutcomeOf(err), SubjectRef: subject, RequestID: web.RequestIDFromContext(ctx), Detail: detail})
}
