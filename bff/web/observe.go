package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the HTTP metrics: requests by route template, method and
// status, and their latency. Routes are templates (/kiosk/v1/persons/:id),
// never raw paths, so that no ID number becomes a label.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

// NewMetrics registers the HTTP metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hrss_http_requests_total", Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hrss_http_request_duration_seconds",
			Help:    "Time from request to answer, by route template, method and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "hrss_http_requests_in_flight", Help: "Requests being served now.",
		}),
	}
	reg.MustRegister(m.requests, m.duration, m.inFlight)
	return m
}

// Observe writes one access-log line and the metrics for every request. It
// turns a handler's error into its problem+json answer itself, so that both
// see the final status. Only the route template is logged, never the raw
// path or query, which may hold an ID number or phone.
func Observe(logger *slog.Logger, m *Metrics) fiber.Handler {
	handleError := HandleError(logger)
	return func(c *fiber.Ctx) error {
		start := time.Now()
		c.Locals(localObserved, true)
		m.inFlight.Inc()
		err := c.Next()
		m.inFlight.Dec()
		if err != nil {
			if herr := handleError(c, err); herr != nil {
				c.Status(fiber.StatusInternalServerError)
			}
		}
		elapsed := time.Since(start)
		status := c.Response().StatusCode()
		route := routeOf(c, err)
		method := c.Method()
		code := strconv.Itoa(status)
		m.requests.WithLabelValues(route, method, code).Inc()
		m.duration.WithLabelValues(route, method, code).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		if !logger.Enabled(c.UserContext(), level) { // at peak the access log is often off
			return nil
		}
		attrs := []slog.Attr{slog.String("method", method), slog.String("route", route), slog.Int("status", status),
			slog.Duration("duration", elapsed), slog.Int("bytes", len(c.Response().Body()))}
		if cause, ok := c.Locals(localCause).(error); ok && status >= 500 {
			attrs = append(attrs, slog.String("err", cause.Error()))
		}
		logger.LogAttrs(c.UserContext(), level, "request", attrs...)
		return nil
	}
}

// routeOf is the template of the route that answered, or "unmatched" when
// none did. Only the router itself answers with a *fiber.Error 404 or 405:
// handlers return domain errors.
func routeOf(c *fiber.Ctx, err error) string {
	var fe *fiber.Error
	if errors.As(err, &fe) && (fe.Code == fiber.StatusNotFound || fe.Code == fiber.StatusMethodNotAllowed) {
		return "unmatched"
	}
	return c.Route().Path
}

// Recover turns a panic in a handler into a 500 problem+json answer, with
// the stack in the log under the request id.
func Recover(logger *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				logger.ErrorContext(c.UserContext(), "panic",
					"route", c.Route().Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = alreadyLogged{&domain.Error{Code: domain.Internal, Err: fmt.Errorf("panic: %v", r)}}
			}
		}()
		return c.Next()
	}
}

// Deadline bounds the work of a request: handlers pass c.UserContext() to
// every downstream call, which then gives up when the deadline passes.
func Deadline(d time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), d)
		defer cancel()
		c.SetUserContext(ctx)
		return c.Next()
	}
}

// alreadyLogged marks an error whose details are in the log already, so
// HandleError answers it without logging it a second time.
type alreadyLogged struct{ error }

func (e alreadyLogged) Unwrap() error { return e.error }
