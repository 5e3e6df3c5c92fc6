package kiosk_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/counter"
	countersim "github.com/dandong-hrss/hrss/integrations/counter/sim"
	"github.com/dandong-hrss/hrss/integrations/formschema"
	"github.com/dandong-hrss/hrss/integrations/pdf"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/announcementdb"
	"github.com/dandong-hrss/hrss/integrations/store/applicationdb"
	"github.com/dandong-hrss/hrss/integrations/store/certificationdb"
	"github.com/dandong-hrss/hrss/integrations/store/documentdb"
	"github.com/dandong-hrss/hrss/integrations/store/ratingdb"
)

// quick is the client policy of these tests: a failure shows at once.
var quick = remote.Policy{Timeout: 5 * time.Second, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 50, BreakerOpenFor: 50 * time.Millisecond, BreakerProbes: 1}

// verifyBase is the public address the QR codes point at.
const verifyBase = "https://rs.dandong.example"

// backend is the shared domain core one BFF instance wires behind the
// kiosk channel, over the instance's database: the matter catalog,
// declarations forwarded by a dispatcher to the counter core (its simulator,
// auto-staffed, over HTTP) with progress polled back, ratings, the pension
// certification against the e-card platform's simulator, documents with
// the real PDF renderer, and announcements.
type backend struct {
	catalog       *catalog.Service
	declarations  *declaration.Service
	progress      *progress.Service
	ratings       *rating.Service
	certification *certification.Service
	documents     *document.Service
	announcements *announcement.Service
	forwarded     *forwarded
}

// forwarded collects what certification tells the counter core.
type forwarded struct {
	mu      sync.Mutex
	notices []certification.Notice
}

func (f *forwarded) Forward(_ context.Context, n certification.Notice) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notices = append(f.notices, n)
	return nil
}

func (f *forwarded) kinds() []certification.EventKind {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []certification.EventKind
	for _, n := range f.notices {
		out = append(out, n.Kind)
	}
	return out
}

// The read-only parts every instance shares: opening the catalog compiles
// every form's schema, which is slow under the race detector.
var (
	matters  *catalog.Service
	renderer = pdf.New()
)

// openCatalog opens the embedded matter catalog over a memory store.
func openCatalog() (*catalog.Service, error) {
	file, err := catalog.EmbeddedFile()
	if err != nil {
		return nil, err
	}
	return catalog.Open(context.Background(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: formschema.New(), File: file})
}

// counterCore starts the counter core's simulator with auto-staff taking
// 10 ms a step, on a database of its own, and returns its client and URL.
func counterCore(t *testing.T) (*counter.Client, string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "counter.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cs, err := countersim.New(ctx, countersim.Config{DB: db, AutoStaff: true, StepDelay: 10 * time.Millisecond, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cs.Close)
	srv, err := simulator.Serve("127.0.0.1:0", cs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close(context.Background()) })
	return counter.New(counter.Config{BaseURL: srv.URL(), Token: countersim.DefaultAPIToken, Policy: quick}, nil), srv.URL()
}

// newBackend wires the domain core of an instance on in, auditing to rec.
// The dispatcher and the progress poller run until the test ends.
func newBackend(t *testing.T, in *infra, rec *audit.Recorder) *backend {
	t.Helper()
	ctx := context.Background()
	b := &backend{forwarded: &forwarded{}, catalog: matters}
	st := applicationdb.New(in.db)
	disp := declaration.NewDispatcher(declaration.DispatcherConfig{Outbox: st, Core: in.counter, Sealer: in.sealer,
		Interval: 20 * time.Millisecond, BackoffBase: 10 * time.Millisecond, BackoffMax: 100 * time.Millisecond})
	b.declarations = declaration.NewService(declaration.Config{Store: st, Materials: st, Drafts: st, Rules: rules{b.catalog},
		Sealer: in.sealer, Core: in.counter, Submitted: disp.Kick})
	b.progress = progress.NewService(progress.Config{Store: st, Core: in.counter,
		Verifier: progress.WebhookVerifierFunc(counter.WebhookVerifier(countersim.DefaultWebhookSecret))})
	b.ratings = rating.New(ratingdb.New(in.db), facts{st}, nil, rating.Config{})
	var err error
	if b.certification, err = certification.NewService(certification.Config{Store: certificationdb.New(in.db),
		Pensioners: certification.CorePensioners{Core: core}, Faces: faces, Forwarder: b.forwarded,
		Reminders: certification.RemindersFunc(func(context.Context, certification.Reminder) error { return nil }),
		Sealer:    in.sealer, Auditor: rec}); err != nil {
		t.Fatal(err)
	}
	if b.documents, err = document.New(document.Config{Store: documentdb.New(in.db), Renderer: renderer, Sealer: in.sealer,
		Audit: rec, VerifyBaseURL: verifyBase}); err != nil {
		t.Fatal(err)
	}
	seed, err := announcement.EmbeddedSeed()
	if err != nil {
		t.Fatal(err)
	}
	if b.announcements, err = announcement.Open(ctx, announcement.Config{Store: announcementdb.New(in.db), Seed: seed}); err != nil {
		t.Fatal(err)
	}
	loops, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { disp.Run(loops) })
	wg.Go(func() { b.progress.RunPoller(loops, 30*time.Millisecond) })
	t.Cleanup(func() { stop(); wg.Wait() })
	return b
}

// rules adapts the catalog to declarations as the server does.
type rules struct{ cat *catalog.Service }

func (r rules) Matter(_ context.Context, code, situation string) (declaration.Matter, error) {
	m, err := r.cat.Matter(code)
	if err != nil {
		return declaration.Matter{}, err
	}
	form, err := r.cat.Form(code, situation)
	if err != nil {
		return declaration.Matter{}, err
	}
	out := declaration.Matter{Code: m.Code, Name: m.Name, ApplicantKinds: []acceptance.ApplicantKind{acceptance.ApplicantKind(m.Applicant)}}
	for _, mat := range form.Materials {
		if !mat.Optional && mat.Commitment == "" {
			out.RequiredMaterials = append(out.RequiredMaterials, mat.Name)
		}
	}
	return out, nil
}

func (r rules) Bundle(context.Context, string) (declaration.BundleRule, error) {
	return declaration.BundleRule{}, domain.Errorf(domain.NotFound, "no bundles through the kiosk")
}

func (r rules) ValidateForm(_ context.Context, code, situation string, raw json.RawMessage) error {
	data := map[string]any{}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil {
		return domain.InvalidFields(domain.FieldError{Field: "form", Message: "表单内容不是有效的 JSON 对象"})
	}
	return r.cat.ValidateForm(code, situation, data)
}

// facts tells ratings what an application is, as the server's wiring does.
type facts struct{ st *applicationdb.Store }

func (f facts) Facts(ctx context.Context, id string) (rating.Facts, error) {
	app, err := f.st.Application(ctx, id)
	if err != nil {
		return rating.Facts{}, err
	}
	out := rating.Facts{ApplicationID: app.ID, ApplicantRef: app.Applicant.Ref, MatterCode: app.MatterCode,
		MatterName: app.MatterName, Channel: app.Channel, Status: acceptance.Status(app.State.Status),
		AcceptedAt: app.State.AcceptedAt, FinishedAt: app.State.FinishedAt}
	events, err := f.st.Timeline(ctx, id)
	if err != nil {
		return rating.Facts{}, err
	}
	for _, ev := range events {
		if ev.Office != "" {
			out.Office = ev.Office
		}
		if ev.Staff != "" {
			out.Staff = ev.Staff
		}
	}
	return out, nil
}
