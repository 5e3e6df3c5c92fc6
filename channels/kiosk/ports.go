package kiosk

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/domain/rating"
)

// The ports below are the calls the kiosk makes into the shared domain
// core, each with only the methods it uses; the wiring passes the domain
// services themselves (*document.Service, *certification.Service …).

// Printer issues printed documents (打印文书) and records every print.
// *document.Service is one.
type Printer interface {
	// Issue renders d with a serial and a QR code and records the print.
	// Errors: Invalid, Unavailable, Internal, Timeout.
	Issue(ctx context.Context, d document.Document) (document.Printed, error)
}

// Certifier runs the yearly pension certification (养老待遇资格认证).
// *certification.Service is one.
type Certifier interface {
	// Status returns the pensioner's current cycle. Errors: Rejected for
	// someone who draws no pension; Unavailable.
	Status(ctx context.Context, person domain.IDNumber) (certification.Cycle, error)
	// Certify certifies the current cycle, redeeming a face-check token
	// once with the e-card platform. Errors: Invalid, Rejected, NotFound,
	// Conflict, Unavailable.
	Certify(ctx context.Context, person domain.IDNumber, method certification.Method, actor certification.Actor, evidence string) (certification.Cycle, error)
}

// Filer files and withdraws applications (网上申报). *declaration.Service is
// one.
type Filer interface {
	// Submit files req, idempotently by req.IdempotencyKey. Errors:
	// Invalid naming the fields, NotFound, Rejected, Conflict, Unavailable.
	Submit(ctx context.Context, req declaration.Request) (declaration.Filed, error)
	// Withdraw withdraws an undecided application of viewer. Errors:
	// NotFound, Conflict, Unavailable.
	Withdraw(ctx context.Context, id, viewer, reason string) (declaration.Application, error)
}

// Tracker answers where applications stand (办件进度). *progress.Service
// is one.
type Tracker interface {
	// ByApplicant lists ref's applications, newest first. Errors:
	// Invalid, Unavailable.
	ByApplicant(ctx context.Context, ref, before string, limit int) ([]progress.View, string, error)
	// ByApplication returns one application of viewer with its timeline.
	// Errors: NotFound, also for someone else's.
	ByApplication(ctx context.Context, id, viewer string) (progress.View, error)
}

// Rater takes the applicant's service rating (好差评). *rating.Service is
// one.
type Rater interface {
	// Rate records a rating. Errors: Invalid, Forbidden, NotFound,
	// Rejected (stage not reached), Conflict (rated already).
	Rate(ctx context.Context, in rating.RateInput) (rating.Rating, *rating.Rectification, error)
	// Ratings lists the ratings the rater gave an application.
	Ratings(ctx context.Context, applicationID, raterRef string) ([]rating.Rating, error)
}

// Board is the bureau's announcements (公告). *announcement.Service is one.
type Board interface {
	// List returns a page of published announcements. Errors: Invalid.
	List(ctx context.Context, category announcement.Category, keyword string, page, size int) (announcement.List, error)
	// Get returns a published announcement. Errors: NotFound.
	Get(ctx context.Context, id string) (announcement.Announcement, error)
}

// Matters is the matter catalog (事项库). *catalog.Service is one.
type Matters interface {
	// Matter returns a matter. Errors: NotFound.
	Matter(code string) (catalog.Matter, error)
	// Form returns a matter's form. Errors: NotFound, Invalid.
	Form(code, situation string) (catalog.Form, error)
}

var (
	_ Printer   = (*document.Service)(nil)
	_ Certifier = (*certification.Service)(nil)
	_ Filer     = (*declaration.Service)(nil)
	_ Tracker   = (*progress.Service)(nil)
	_ Rater     = (*rating.Service)(nil)
	_ Board     = (*announcement.Service)(nil)
	_ Matters   = (*catalog.Service)(nil)
)
