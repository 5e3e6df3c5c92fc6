package simulator

import (
	"context"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var ok = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })

// startServer starts h on a loopback port and closes it when the test ends.
func startServer(tb testing.TB, h http.Handler) *Server {
	tb.Helper()
	s, err := Serve("127.0.0.1:0", h)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		s.Close(ctx)
	})
	return s
}

func get(ctx context.Context, url string) (*http.Response, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	return resp, err
}

func TestLatencyStaysWithinBounds(t *testing.T) {
	inj := NewInjector(1, Faults{LatencyMin: 20 * time.Millisecond, LatencyMax: 60 * time.Millisecond}, nil)
	for range 1000 {
		d, f := inj.draw()
		if d < 20*time.Millisecond || d > 60*time.Millisecond || f != serve {
			t.Fatalf("draw = %v, %v; want 20ms..60ms and served", d, f)
		}
	}
	s := startServer(t, inj.Wrap(ok))
	start := time.Now()
	if _, err := get(context.Background(), s.URL()+"/x"); err != nil {
		t.Fatal(err)
	}
	if got := time.Since(start); got < 20*time.Millisecond {
		t.Errorf("request took %v; want at least the 20ms minimum latency", got)
	}
}

func TestErrorRateIsRepeatableForASeed(t *testing.T) {
	run := func(seed uint64) string {
		h := NewInjector(seed, Faults{ErrorRate: 0.3}, nil).Wrap(ok)
		var b strings.Builder
		for range 400 {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
			b.WriteByte("._"[min(rec.Code/500, 1)])
		}
		return b.String()
	}
	first, again, other := run(7), run(7), run(8)
	if first != again {
		t.Errorf("seed 7 gave different error sequences:\n%s\n%s", first, again)
	}
	if first == other {
		t.Error("seeds 7 and 8 gave the same error sequence")
	}
	if n := strings.Count(first, "_"); n < 80 || n > 160 {
		t.Errorf("%d of 400 requests failed; want about 120 at rate 0.3", n)
	}
}

func TestInjectedErrorUsesTheSystemsFormat(t *testing.T) {
	writeError := func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `<fault>busy</fault>`)
	}
	h := NewInjector(1, Faults{ErrorRate: 1}, writeError).Wrap(ok)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusServiceUnavailable || rec.Body.String() != "<fault>busy</fault>" {
		t.Errorf("got %d %q; want the system's own 503 fault", rec.Code, rec.Body)
	}
}

func TestAdminFaultsRoundTrip(t *testing.T) {
	inj := NewInjector(1, Faults{}, nil)
	s := startServer(t, inj.Wrap(ok))
	ctx := context.Background()
	want := Faults{LatencyMin: 50 * time.Millisecond, LatencyMax: 80 * time.Millisecond, ErrorRate: 0.25, TimeoutRate: 0.1}
	if err := SetFaults(ctx, s.URL(), want); err != nil {
		t.Fatal(err)
	}
	if got := inj.Faults(); got != want {
		t.Errorf("injector has %+v; want %+v", got, want)
	}
	got, err := GetFaults(ctx, s.URL())
	if err != nil || got != want {
		t.Errorf("GetFaults = %+v, %v; want %+v", got, err, want)
	}
	resp, err := http.Get(s.URL() + FaultsPath)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(raw), `"latency_min":"50ms"`) {
		t.Errorf("admin JSON %s; want durations as strings like \"50ms\"", raw)
	}
}

func TestAdminRefusesImpossibleFaults(t *testing.T) {
	inj := NewInjector(1, Faults{ErrorRate: 0.5}, nil)
	s := startServer(t, inj.Wrap(ok))
	for _, bad := range []Faults{{ErrorRate: 1.5}, {ErrorRate: 0.6, TimeoutRate: 0.6}, {LatencyMin: time.Second, LatencyMax: time.Millisecond}} {
		if err := SetFaults(context.Background(), s.URL(), bad); err == nil {
			t.Errorf("SetFaults(%+v) succeeded; want refused", bad)
		}
	}
	if got := inj.Faults(); got.ErrorRate != 0.5 {
		t.Errorf("faults after refused PUTs = %+v; want unchanged", got)
	}
}

func TestDownSystemHangsUpButAdminStillAnswers(t *testing.T) {
	inj := NewInjector(1, Faults{Down: true}, nil)
	s := startServer(t, inj.Wrap(ok))
	ctx := context.Background()
	if resp, err := get(ctx, s.URL()+"/x"); err == nil {
		t.Fatalf("down system answered %s; want the connection closed", resp.Status)
	}
	if err := SetFaults(ctx, s.URL(), Faults{}); err != nil {
		t.Fatalf("bringing the system back up: %v", err)
	}
	if resp, err := get(ctx, s.URL()+"/x"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after recovery: %v, %v; want 200", resp, err)
	}
	if got := inj.Requests(); got != 2 {
		t.Errorf("Requests() = %d; want 2 (admin calls not counted)", got)
	}
}

func TestTimeoutHangsUntilClientGivesUp(t *testing.T) {
	s := startServer(t, NewInjector(1, Faults{TimeoutRate: 1}, nil).Wrap(ok))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := get(ctx, s.URL()+"/x")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v; want the client's deadline", err)
	}
	if got := time.Since(start); got > time.Second {
		t.Errorf("gave up after %v; want about 100ms", got)
	}
}

func TestCloseEndsHangingRequestsWithoutAnswer(t *testing.T) {
	s, err := Serve("127.0.0.1:0", NewInjector(1, Faults{TimeoutRate: 1}, nil).Wrap(ok))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := get(context.Background(), s.URL()+"/x") // no client timeout at all
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the request arrive and hang
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Errorf("Close = %v; want a prompt graceful shutdown", err)
	}
	if err := <-done; err == nil {
		t.Error("hanging request got an answer on shutdown; want none")
	}
}

func TestRegisterFlags(t *testing.T) {
	var f Faults
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	f.RegisterFlags(fs, "core-")
	err := fs.Parse([]string{"-core-latency-min=10ms", "-core-latency-max=30ms",
		"-core-error-rate=0.2", "-core-timeout-rate=0.1", "-core-down"})
	want := Faults{LatencyMin: 10 * time.Millisecond, LatencyMax: 30 * time.Millisecond, ErrorRate: 0.2, TimeoutRate: 0.1, Down: true}
	if err != nil || f != want {
		t.Errorf("parsed %+v, %v; want %+v", f, err, want)
	}
}
