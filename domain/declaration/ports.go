package declaration

import (
	"context"
	"encoding/json"
	"time"

	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// Store keeps applications, packages and their outbox. Every method may
// also return Unavailable or Internal when the database fails.
type Store interface {
	// Create commits a filing in one transaction: the bundle row (if
	// f.Bundle.ID is set), every application, and one outbox row for each.
	// When the applicant already used the idempotency key — on the
	// application, or on the bundle for a package — it writes nothing and
	// returns the earlier filing with existing true.
	Create(ctx context.Context, f Filed) (stored Filed, existing bool, err error)

	// Application returns one application. Errors: NotFound.
	Application(ctx context.Context, id string) (Application, error)

	// WithdrawUnforwarded withdraws an application the core has not yet
	// got (撤回): in one transaction it deletes the outbox row, unless a
	// dispatcher holds its lease right now, and marks the application
	// withdrawn with reason. It reports false, changing nothing, when there
	// is no free outbox row: forwarded already, being forwarded, or no
	// such application.
	WithdrawUnforwarded(ctx context.Context, id, reason string, at time.Time) (bool, error)

	// SetStatus records what the applicant just did at the core — a
	// withdrawal, supplied materials (appended to the application's) —
	// ahead of the event that will confirm it. Errors: NotFound.
	SetStatus(ctx context.Context, id string, status Status, comment string, added []acceptance.Material, at time.Time) error
}

// MaterialStore keeps the files of materials (申请材料), by content hash, where
// every BFF instance can read them. Errors as for Store.
type MaterialStore interface {
	// PutMaterial stores a file; storing the same content again is a no-op.
	PutMaterial(ctx context.Context, f MaterialFile) error
	// MissingMaterials returns those of hashes that no stored file has.
	MissingMaterials(ctx context.Context, hashes []string) ([]string, error)
	// Material returns a stored file. Errors: NotFound.
	Material(ctx context.Context, hash string) (MaterialFile, error)
}

// DraftStore keeps drafts (草稿) by applicant and matter or bundle code, so
// that a draft started on one channel is resumed on another. Errors as for
// Store.
type DraftStore interface {
	// SaveDraft creates or replaces the applicant's draft for d.Code.
	SaveDraft(ctx context.Context, d Draft) error
	// Draft returns one draft. Errors: NotFound.
	Draft(ctx context.Context, applicantRef, code string) (Draft, error)
	// Drafts lists the applicant's drafts updated after since, newest first.
	Drafts(ctx context.Context, applicantRef string, since time.Time) ([]Draft, error)
	// DeleteDraft removes a draft; removing a missing one is a no-op.
	DeleteDraft(ctx context.Context, applicantRef, code string) error
}

// MatterRules is what declaration needs of the matter catalog (事项目录):
// the catalog adapter implements it. Every method may also return
// Unavailable or Internal.
type MatterRules interface {
	// Matter returns a matter as it applies in a situation ("" for the
	// matter's default). Errors: NotFound for an unknown matter or
	// situation, or one not offered online.
	Matter(ctx context.Context, code, situation string) (Matter, error)
	// Bundle returns a bundle (打包办 "一件事") with the codes of its
	// matters. Errors: NotFound.
	Bundle(ctx context.Context, code string) (BundleRule, error)
	// ValidateForm checks a filled form against the matter's form in the
	// situation. Errors: Invalid naming each field at fault.
	ValidateForm(ctx context.Context, matterCode, situation string, form json.RawMessage) error
}

// Matter is what filing needs to know of a matter (事项) in a situation.
type Matter struct {
	Code string
	Name string
	// ApplicantKinds are who may file it (a unit matter is no person's);
	// empty means anyone.
	ApplicantKinds []acceptance.ApplicantKind
	// RequiredMaterials are the checklist names (材料清单) that must be
	// provided in the situation: attached, or — for those in Commitments —
	// replaced by signing the commitment.
	RequiredMaterials []string
	// Commitments maps the names of materials the applicant may replace by
	// a signed commitment (告知承诺制) to the commitment text shown to them.
	Commitments map[string]string
}

// BundleRule is a bundle of linked matters from the catalog.
type BundleRule struct {
	Code    string
	Name    string
	Matters []string // matter codes, in filing order
}
