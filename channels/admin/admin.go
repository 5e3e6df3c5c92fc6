// Package admin is the bureau staff's back office (管理后台): the routes
// under /admin/v1 through which staff do, without a release, what the
// procurement asks of them in this system —
//
//   - maintain the matter catalog (事项库扩展维护, seed 1.7): list, read and
//     change matters and bundles (一件事), each change checked against the
//     version it was based on (If-Match or a version field);
//   - write, change, publish and unpublish announcements (公告);
//   - register the self-service kiosks (自助终端) and disable or enable them;
//   - take bad ratings (差评) through their rectification (整改) and read the
//     rating statistics by matter, channel, office, staff member and day
//     (好差评统计, seed 2.2(二)2 and 2.5(二)2);
//   - settle the notices that may already have been texted (人工核查);
//   - read the audit log (审计日志) of a person or unit.
//
// Every route takes a staff member's bearer token (see Staff and
// ParseStaff). An operator (业务经办) may work on rectifications, notices
// and statistics; an administrator (系统管理员) may do everything. Every
// change, and every read of a person's data, is written to the audit log
// with the staff member as the actor; a refused attempt by a known staff
// member is too. Answers never carry a raw ID number or phone number, and
// are marked Cache-Control: no-store.
package admin

import (
	"context"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/rating"
)

// BackOffice is the channel the audit log records for what staff do here:
// not one of the citizens' channels (domain.Channels), so entries made in
// the back office are told apart from a counter clerk's.
const BackOffice domain.Channel = "admin"

// Catalog is what the back office asks of the matter catalog
// (*catalog.Service).
type Catalog interface {
	// List returns the matters f selects, by code.
	List(f catalog.Filter) []catalog.Summary
	// Matter returns one matter. Errors: NotFound.
	Matter(code string) (catalog.Matter, error)
	// Upsert stores a new or changed matter. Errors: Invalid naming each
	// problem; Conflict on a stale version or a taken code.
	Upsert(ctx context.Context, m catalog.Matter) (catalog.Matter, error)
	// Bundles returns every bundle, by code.
	Bundles() []catalog.BundleView
	// Bundle returns one bundle. Errors: NotFound.
	Bundle(code string) (catalog.BundleView, error)
	// UpsertBundle is Upsert for a bundle.
	UpsertBundle(ctx context.Context, b catalog.Bundle) (catalog.BundleView, error)
	// ETag identifies the catalog being served (a quoted strong tag).
	ETag() string
}

// Announcements is what the back office asks of the announcements
// (*announcement.Service).
type Announcements interface {
	// Create publishes a new announcement. Errors: Invalid.
	Create(ctx context.Context, d announcement.Draft) (announcement.Announcement, error)
	// Update changes one read at version. Errors: Invalid, NotFound, Conflict.
	Update(ctx context.Context, id string, d announcement.Draft, version int64) (announcement.Announcement, error)
	// SetPublished publishes or unpublishes one. Errors: NotFound, Conflict.
	SetPublished(ctx context.Context, id string, published bool, version int64) (announcement.Announcement, error)
	// Admin returns one, published or not. Errors: NotFound.
	Admin(ctx context.Context, id string) (announcement.Announcement, error)
}

// AnnouncementIndex lists announcements published or not: the
// announcement service lists only published ones, so the back office reads
// the store (announcement.Store) for its own list.
type AnnouncementIndex interface {
	// List returns the announcements q selects and how many match in all.
	// Errors: Unavailable.
	List(ctx context.Context, q announcement.Query) ([]announcement.Announcement, int, error)
}

// Devices is what the back office asks of the kiosk registry
// (*device.Service).
type Devices interface {
	// Register adds a device and returns its secret, shown this once.
	// Errors: Invalid, Conflict.
	Register(ctx context.Context, r device.Registration) (device.Device, string, error)
	// List returns every device, by id.
	List(ctx context.Context) ([]device.Device, error)
	// Disable and Enable change a device's status. Errors: NotFound,
	// Unavailable (stored but not yet announced: repeat it).
	Disable(ctx context.Context, id string) (device.Device, error)
	Enable(ctx context.Context, id string) (device.Device, error)
}

// Ratings is what the back office asks of the ratings (*rating.Service).
type Ratings interface {
	// Rectifications lists rectifications. Errors: Unavailable.
	Rectifications(ctx context.Context, f rating.RectificationFilter) ([]rating.Rectification, error)
	// Overdue lists those of office still open past their deadline.
	Overdue(ctx context.Context, office string, limit int) ([]rating.Rectification, error)
	// Rectification returns one with its steps. Errors: NotFound.
	Rectification(ctx context.Context, id string) (rating.Rectification, error)
	// Rectify takes a step. Errors: Invalid, NotFound, Conflict.
	Rectify(ctx context.Context, id string, a rating.Action, by, note string) (rating.Rectification, error)
	// Stats returns the statistics q asks for. Errors: Invalid.
	Stats(ctx context.Context, q rating.StatsQuery) ([]rating.Stat, error)
}

// Notices is what the back office asks of the notice outbox
// (*notify.Service): the notices that may have been texted already.
type Notices interface {
	// Reviews lists up to limit notices under review, oldest first.
	Reviews(ctx context.Context, limit int) ([]notify.Record, error)
	// Resolve settles one: delivered, or to be sent again. Errors:
	// NotFound when it is not under review.
	Resolve(ctx context.Context, id int64, delivered bool) error
}

// AuditLog reads the audit log (audit.Store).
type AuditLog interface {
	// ForSubject returns the latest entries about subjectRef, newest first.
	ForSubject(ctx context.Context, subjectRef string, limit int) ([]audit.Entry, error)
}

// The domain's services are what bff passes.
var (
	_ Catalog       = (*catalog.Service)(nil)
	_ Announcements = (*announcement.Service)(nil)
	_ Devices       = (*device.Service)(nil)
	_ Ratings       = (*rating.Service)(nil)
	_ Notices       = (*notify.Service)(nil)
)

// Deps is what the back office needs. All are required but Now.
type Deps struct {
	Catalog           Catalog
	Announcements     Announcements
	AnnouncementIndex AnnouncementIndex
	Devices           Devices
	Operators         Operators // opens units' accounts; nil: the route is not offered
	Ratings           Ratings
	Notify            Notices
	Audit             *audit.Recorder // every change and every read of a person's data
	AuditStore        AuditLog        // the log itself, for the audit search
	Sealer            privacy.Sealer  // blind index of a searched ID number; opens phones to mask them
	Staff             []Staff         // who may sign in; none means every request is refused
	Now               func() time.Time
}

// Admin serves the back office. It keeps no state but the staff roster.
type Admin struct {
	catalog       Catalog
	announcements Announcements
	annIndex      AnnouncementIndex
	devices       Devices
	operators     Operators
	ratings       Ratings
	notices       Notices
	audit         *audit.Recorder
	auditLog      AuditLog
	sealer        privacy.Sealer
	roster        roster
	now           func() time.Time
}

// New returns the back office. It panics when a dependency is missing, a
// wiring defect; an empty Staff list is allowed (nobody can sign in).
func New(d Deps) *Admin {
	if d.Catalog == nil || d.Announcements == nil || d.AnnouncementIndex == nil || d.Devices == nil ||
		d.Ratings == nil || d.Notify == nil || d.Audit == nil || d.AuditStore == nil || d.Sealer == nil {
		panic("admin: New needs Catalog, Announcements, AnnouncementIndex, Devices, Ratings, Notify, Audit, AuditStore and Sealer")
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return &Admin{catalog: d.Catalog, announcements: d.Announcements, annIndex: d.AnnouncementIndex,
		devices: d.Devices, operators: d.Operators, ratings: d.Ratings, notices: d.Notify, audit: d.Audit, auditLog: d.AuditStore,
		sealer: d.Sealer, roster: newRoster(d.Staff), now: d.Now}
}

// record writes the audit entry of one action by staff member s: err is
// how it ended (nil for success), subject whose data it touched ("" when
// none), detail what it was done to.
func (a *Admin) record(ctx context.Context, s Staff, action string, err error, subject string, detail map[string]string) {
	a.audit.Record(ctx, audit.Entry{ActorKind: audit.Staff, ActorRef: s.ID, Channel: BackOffice, Action: action,
		Outcome: audit.OutcomeOf(err), SubjectRef: subject, RequestID: web.RequestIDFromContext(ctx), Detail: detail})
}

// owned copies a string the framework lends. Fiber's path parameters,
// query values and headers point into a buffer it reuses once the request
// is answered, so one that outlives the request — in the audit log's
// buffer, in the served catalog — must be copied first. (Bodies are
// decoded into strings of their own.)
func owned(s string) string { return strings.Clone(s) }

// change records an action on ctx's staff member and returns err, so a
// handler ends with `return out, a.change(ctx, "…", err, detail)`.
func (a *Admin) change(ctx context.Context, action string, err error, detail map[string]string) error {
	a.record(ctx, staffFrom(ctx), action, err, "", detail)
	return err
}
