package bff

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveDebug serves Go's profiler on HRSS_DEBUG_ADDR, a listener of its own
// on loopback (config refuses any other host: a heap profile holds what
// the server holds), for whoever diagnoses the server under load:
//
//	go tool pprof http://127.0.0.1:6060/debug/pprof/profile?seconds=20
func (m *Main) serveDebug() error {
	if m.Config.DebugAddr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", m.Config.DebugAddr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Warn("profiler stopped", "err", err)
		}
	}()
	m.closers = append(m.closers, func() error { return srv.Shutdown(context.Background()) })
	m.Logger.Info("profiler listening", "addr", ln.Addr().String())
	return nil
}
