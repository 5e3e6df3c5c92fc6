// Package bff is the backend-for-frontend server: it parses the Config once,
// opens the database and Redis (real or embedded), wires every channel to
// the domain and the domain to the integrations by hand, serves the Fiber
// app with the shared middleware, health and metrics, and shuts down
// gracefully. Main is reused by end-to-end tests.
package bff

import (
	"context"
	"errors"
	"fmt"
	"github.com/dandong-hrss/hrss/domain/account"
	"io"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/dandong-hrss/hrss/bff/limit"
	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain/announcement"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/domain/insured"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/domain/progress"
	"github.com/dandong-hrss/hrss/domain/rating"
	"github.com/dandong-hrss/hrss/integrations/cache"
	"github.com/dandong-hrss/hrss/integrations/formschema"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
	"github.com/dandong-hrss/hrss/integrations/store/catalogdb"
	"github.com/danielgtaylor/huma/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Version is the release, set at build time with
// -ldflags "-X github.com/dandong-hrss/hrss/bff.Version=v1.2.3".
var Version = "dev"

// Main is one running server. Open it, serve until told to stop, Close it.
type Main struct {
	Config   *Config
	Logger   *slog.Logger
	DB       *store.DB
	Redis    redis.UniversalClient
	Registry *prometheus.Registry
	App      *fiber.App
	API      huma.API // every channel's operations, described at /openapi.json

	// Mount, when set, adds routes after the product's own (tests use it to
	// add a route that panics or answers slowly).
	Mount func(app *fiber.App)

	// Sealer seals personal data at rest and computes its blind index.
	Sealer privacy.Sealer
	// Audit records every read of a person's data and every change.
	Audit *audit.Recorder
	// Catalog is the matter catalog (事项库), kept in the database.
	Catalog *catalog.Service
	// Declarations files applications; Dispatcher forwards them to the
	// counter core; Progress tracks what the core does with them.
	Declarations *declaration.Service
	Dispatcher   *declaration.Dispatcher
	Progress     *progress.Service
	// Notify tells applicants of every change (WeChat, else SMS); Ratings
	// takes their ratings (好差评) and runs rectifications.
	Notify  *notify.Service
	Ratings *rating.Service
	// Certification runs pensioners' yearly certification (养老生存认证).
	Certification *certification.Service
	// Documents prints (PDF) and verifies printed documents; Announcements
	// are the bureau's notices (公告).
	Documents     *document.Service
	Announcements *announcement.Service
	// Devices are the registered self-service kiosks; Identity signs app
	// users in and keeps their relatives (亲情服务).
	Devices  *device.Service
	Identity *identity.Service
	// Core is the business core as every channel reads it: through the
	// read-through cache. Limiter holds every subject's rate budget.
	Core    insured.Core
	Limiter *limit.Limiter

	// Sims are the simulators running in-process, for the systems whose
	// URL is not configured (all of them in the embedded default).
	Sims *Simulators

	clients       clients
	aftercare     *aftercare
	channels      channelSet
	cachedCore    *cache.CachedCore
	accounts      *account.Service // unit operators' accounts, for the back office to open
	embeddedRedis *cache.Embedded
	listener      net.Listener
	served        chan error
	closers       []func() error // run in reverse order by Close
}

// NewMain returns a Main for cfg that logs to w.
func NewMain(cfg *Config, w io.Writer) *Main {
	logger := NewLogger(cfg, w)
	cache.LogTo(logger)
	return &Main{Config: cfg, Logger: logger, Registry: prometheus.NewRegistry()}
}

// Open connects to everything, applies migrations when configured, builds
// the app and starts serving on Config.Addr. It returns once the server
// accepts connections; on error everything opened so far is closed.
func (m *Main) Open(ctx context.Context) (err error) {
	defer func() {
		if err != nil {
			m.closeAll()
		}
	}()
	if err := m.openDB(ctx); err != nil {
		return err
	}
	if err := m.openRedis(ctx); err != nil {
		return err
	}
	if err := m.openSealer(); err != nil {
		return err
	}
	m.Audit = audit.NewRecorder(auditdb.New(m.DB), audit.RecorderConfig{Logger: m.Logger})
	m.closers = append(m.closers, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return m.Audit.Close(ctx)
	})
	if err := m.openCatalog(ctx); err != nil {
		return err
	}
	m.registerMetrics()
	if err := m.serveDebug(); err != nil {
		return fmt.Errorf("%s: %w", EnvName("debug-addr"), err)
	}
	// Listen before the systems start: the counter simulator must know
	// where to post its events.
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	if err := m.openSystems(ctx); err != nil {
		ln.Close()
		return err
	}
	if err := m.openCache(ctx); err != nil {
		ln.Close()
		return err
	}
	if err := m.openServices(ctx); err != nil {
		ln.Close()
		return err
	}
	if err := m.openChannels(ctx); err != nil {
		ln.Close()
		return err
	}
	m.App = m.newApp()
	m.served = make(chan error, 1)
	go func() { m.served <- m.App.Listener(ln) }()
	m.Logger.Info("serving", "addr", m.Addr(), "version", Version, "embedded", m.Config.Embedded())
	return nil
}

// Addr is the address the server listens on (useful with port 0).
func (m *Main) Addr() string {
	if m.listener == nil {
		return ""
	}
	return m.listener.Addr().String()
}

// URL is the server's base URL.
func (m *Main) URL() string { return "http://" + m.Addr() }

// Served is closed with the server's error when it stops serving on its own.
func (m *Main) Served() <-chan error { return m.served }

// Close stops accepting connections, lets in-flight requests finish within
// Config.ShutdownGrace, then closes every pool. It returns an error when
// requests had to be cut off or a pool failed to close.
func (m *Main) Close() error {
	var errs []error
	if m.App != nil {
		m.Logger.Info("shutting down", "grace", m.Config.ShutdownGrace)
		if err := m.App.ShutdownWithTimeout(m.Config.ShutdownGrace); err != nil {
			errs = append(errs, fmt.Errorf("shutdown: %w", err))
		}
	}
	errs = append(errs, m.closeAll())
	return errors.Join(errs...)
}

func (m *Main) closeAll() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		if err := m.closers[i](); err != nil {
			errs = append(errs, err)
		}
	}
	m.closers = nil
	return errors.Join(errs...)
}

func (m *Main) openDB(ctx context.Context) error {
	var err error
	if m.Config.Embedded() {
		m.DB, err = store.OpenSQLite(ctx, m.Config.SQLitePath())
	} else {
		m.DB, err = store.OpenMySQL(ctx, m.Config.MySQLDSN, store.Pool{
			MaxOpen: m.Config.MySQLMaxOpen, MaxIdle: m.Config.MySQLMaxIdle, MaxLifetime: m.Config.MySQLConnMaxLifetime})
	}
	if err != nil {
		return err
	}
	m.closers = append(m.closers, m.DB.Close)
	if !m.Config.Migrate {
		return nil
	}
	mig, err := store.NewMigrator(m.DB, m.Logger)
	if err != nil {
		return err
	}
	n, err := mig.Up(ctx)
	if err != nil {
		return err
	}
	m.Logger.Info("schema up to date", "dialect", m.DB.Dialect, "applied", n)
	return nil
}

func (m *Main) openRedis(ctx context.Context) error {
	addrs := m.Config.RedisAddrs
	if m.Config.EmbeddedRedis() {
		emb, err := cache.StartEmbedded()
		if err != nil {
			return err
		}
		m.embeddedRedis = emb
		m.closers = append(m.closers, func() error { emb.Close(); return nil })
		addrs = []string{emb.Addr()}
	}
	client, err := cache.OpenRedis(ctx, cache.RedisOptions{Addrs: addrs, Master: m.Config.RedisMaster,
		Username: m.Config.RedisUsername, Password: m.Config.RedisPassword, DB: m.Config.RedisDB,
		PoolSize: m.Config.RedisPoolSize})
	if err != nil {
		return err
	}
	m.Redis = client
	m.closers = append(m.closers, client.Close)
	return nil
}

// openCatalog loads the matter catalog: the file shipped in the binary
// replaces the database's copy when it is newer, otherwise the database's
// copy (with the admin's changes) wins. Changes made through another
// instance are picked up every 30 seconds.
func (m *Main) openCatalog(ctx context.Context) error {
	file, err := catalog.EmbeddedFile()
	if err != nil {
		return err
	}
	cat, err := catalog.Open(ctx, catalog.Config{Store: catalogdb.New(m.DB), Schemas: formschema.New(), File: file, Logger: m.Logger})
	if err != nil {
		return fmt.Errorf("open the matter catalog: %w", err)
	}
	m.Catalog = cat
	watchCtx, stop := context.WithCancel(context.Background())
	go cat.Watch(watchCtx, 30*time.Second)
	m.closers = append(m.closers, func() error { stop(); return nil })
	return nil
}

// openSealer builds the sealer from the configured keys or, in the
// embedded default, from keys generated once under the data directory so
// that a newcomer's data stays readable across restarts.
func (m *Main) openSealer() error {
	keys := smcrypto.Config{Keys: m.Config.DataKeys, ActiveKey: m.Config.DataActiveKey, IndexKey: m.Config.DataIndexKey}
	if m.Config.DataKeys == "" {
		var err error
		if keys, err = smcrypto.LoadOrCreateDevKeys(m.Config.DataDir); err != nil {
			return err
		}
		m.Logger.Warn("personal data is sealed with development keys generated under the data directory; production sets HRSS_DATA_KEYS, HRSS_DATA_ACTIVE_KEY and HRSS_DATA_INDEX_KEY")
	}
	sealer, err := smcrypto.New(keys)
	if err != nil {
		return err
	}
	m.Sealer = sealer
	return nil
}

// EmbeddedRedis is the in-process Redis, or nil when a real one is used.
func (m *Main) EmbeddedRedis() *cache.Embedded { return m.embeddedRedis }

// NewLogger builds the process logger: text for people in the embedded
// default, JSON for machines in production, request ids added and personal
// data masked by web.LogHandler.
func NewLogger(cfg *Config, w io.Writer) *slog.Logger {
	if w == nil {
		w = os.Stderr
	}
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	format := cfg.LogFormat
	if format == "" {
		format = "json"
		if cfg.Embedded() {
			format = "text"
		}
	}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if format == "text" {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(web.LogHandler(h))
}
