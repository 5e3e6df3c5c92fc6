package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Server is a simulator listening on a loopback port.
type Server struct {
	srv *http.Server
	ln  net.Listener
}

// Serve listens on addr ("127.0.0.1:0" picks a free loopback port) and serves
// h in a goroutine until Close.
func Serve(addr string, h http.Handler) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("simulator listen %s: %w", addr, err)
	}
	base, cancel := context.WithCancel(context.Background())
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
	}
	// Shutdown waits for handlers to finish; cancelling their context ends
	// injected hangs and latencies at once instead of at the client's leisure.
	srv.RegisterOnShutdown(cancel)
	go srv.Serve(ln)
	return &Server{srv: srv, ln: ln}, nil
}

// URL returns the base URL, like "http://127.0.0.1:PORT".
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Close shuts the server down gracefully; if ctx ends first, it drops the
// remaining connections.
func (s *Server) Close(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	return err
}

// SetFaults replaces the faults of the simulator at baseURL through its admin
// endpoint. The load test and end-to-end tests use it to degrade a running
// system.
func SetFaults(ctx context.Context, baseURL string, f Faults) error {
	body, err := json.Marshal(f)
	if err != nil {
		return err
	}
	_, err = adminFaults(ctx, http.MethodPut, baseURL, bytes.NewReader(body))
	return err
}

// GetFaults reads the faults of the simulator at baseURL.
func GetFaults(ctx context.Context, baseURL string) (Faults, error) {
	return adminFaults(ctx, http.MethodGet, baseURL, nil)
}

func adminFaults(ctx context.Context, method, baseURL string, body io.Reader) (Faults, error) {
	var f Faults
	req, err := http.NewRequestWithContext(ctx, method, baseURL+FaultsPath, body)
	if err != nil {
		return f, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return f, fmt.Errorf("simulator faults %s: %w", method, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return f, fmt.Errorf("simulator faults %s: %s: %s", method, resp.Status, bytes.TrimSpace(msg))
	}
	if err := json.NewDecoder(resp.Body).Decode(&f); err != nil {
		return f, errors.Join(errors.New("simulator faults: bad answer"), err)
	}
	return f, nil
}
