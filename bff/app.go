package bff

import (
	"github.com/dandong-hrss/hrss/bff/web"
	appchannel "github.com/dandong-hrss/hrss/channels/app"
	"github.com/dandong-hrss/hrss/channels/enterprise"
	"github.com/dandong-hrss/hrss/channels/public"
	"github.com/dandong-hrss/hrss/channels/wechat"
	"github.com/gofiber/fiber/v2"
)

// newApp builds the Fiber app: shared middleware in the order each needs the
// one before it, then health, metrics and the channels.
func (m *Main) newApp() *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "hrss",
		DisableStartupMessage: true,
		BodyLimit:             m.Config.BodyLimit,
		// Behind the load balancer the client's address is in its header,
		// believed only from the balancers themselves.
		ProxyHeader:             m.Config.ProxyHeader,
		EnableTrustedProxyCheck: m.Config.ProxyHeader != "",
		TrustedProxies:          m.Config.TrustedProxies,
		EnableIPValidation:      true,
		ReadTimeout:             m.Config.ReadTimeout,
		WriteTimeout:            m.Config.WriteTimeout,
		IdleTimeout:             m.Config.IdleTimeout,
		ErrorHandler:            web.HandleError(m.Logger),
		// Strings read from a request outlive it (audit entries are written
		// in the background): they must not point into reused buffers.
		Immutable: true,
	})
	app.Use(web.RequestID())
	app.Use(web.Observe(m.Logger, web.NewMetrics(m.Registry)))
	app.Use(web.Recover(m.Logger))
	app.Use(web.Deadline(m.Config.RequestTimeout))

	app.Get("/livez", m.livez)
	app.Get("/readyz", m.readyz)
	app.Get("/metrics", m.metricsHandler())
	app.Post(CounterWebhookPath, m.counterWebhook)
	// Every request is charged to a rate budget: public routes to the
	// client's address, the channels' to whom they authenticate (the kiosk
	// charges its device inside its guard's Redis round trip). The back
	// office is staff behind the bureau's network and is not limited.
	app.Use("/api", m.Limiter.Handler())
	app.Use("/verify", m.Limiter.Handler())
	app.Use(appchannel.Prefix, m.channels.app.RateLimit(m.Limiter))
	app.Use(enterprise.Prefix, m.channels.enterprise.RateLimit(m.Limiter))
	app.Use(wechat.Prefix, m.channels.wechat.RateLimit(m.Limiter))
	m.API = web.NewAPI(app, "丹东人社服务快办 BFF", Version)
	public.Register(m.API, app, m.Documents, m.Announcements)
	m.channels.kiosk.Register(m.API)
	m.channels.app.Register(m.API)
	m.channels.enterprise.Register(m.API)
	m.channels.wechat.Register(m.API, app)
	m.channels.admin.Register(m.API)
	if m.Mount != nil {
		m.Mount(app)
	}
	return app
}
