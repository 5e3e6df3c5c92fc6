package insurance_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/prometheus/client_golang/prometheus"
)

func TestErrorsOpenTheBreaker(t *testing.T) {
	p := fastPolicy()
	p.Retries, p.BreakerFailures = 0, 3
	f := newFixture(t, simulator.Faults{}, p)
	ctx := context.Background()
	id := f.id(t, "在职")
	if _, err := f.client.Person(ctx, id); err != nil {
		t.Fatalf("healthy core: %v", err)
	}
	if err := simulator.SetFaults(ctx, f.url, simulator.Faults{ErrorRate: 1}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, err := f.client.Person(ctx, id)
		wantCode(t, err, domain.Unavailable)
	}
	if got := f.client.BreakerState(); got != "open" {
		t.Fatalf("breaker %s after 3 failures; want open", got)
	}
	before := f.sim.Injector().Requests()
	_, err := f.client.Person(ctx, id)
	wantCode(t, err, domain.Unavailable)
	if after := f.sim.Injector().Requests(); after != before {
		t.Errorf("the open breaker let %d requests through to the core", after-before)
	}
}

// TestNotFoundKeepsTheBreakerClosed: a citizen typing an unknown ID is not
// the core failing.
func TestNotFoundKeepsTheBreakerClosed(t *testing.T) {
	p := fastPolicy()
	p.BreakerFailures = 2
	f := newFixture(t, simulator.Faults{}, p)
	for range 5 {
		_, err := f.client.Person(context.Background(), unknownID)
		wantCode(t, err, domain.NotFound)
	}
	if got := f.client.BreakerState(); got != "closed" {
		t.Errorf("breaker %s after not-found answers; want closed", got)
	}
	if n := f.sim.Injector().Requests(); n != 5 {
		t.Errorf("%d requests for 5 not-found calls; want no retries", n)
	}
}

func TestSlowCoreTimesOut(t *testing.T) {
	p := fastPolicy()
	p.Timeout, p.Retries = 50*time.Millisecond, 0
	tests := []struct {
		name   string
		faults simulator.Faults
	}{
		{"latency above the timeout", simulator.Faults{LatencyMin: 400 * time.Millisecond, LatencyMax: 400 * time.Millisecond}},
		{"hang", simulator.Faults{TimeoutRate: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.faults, p)
			start := time.Now()
			_, err := f.client.Overview(context.Background(), f.id(t, "在职"))
			wantCode(t, err, domain.Timeout)
			if took := time.Since(start); took > 300*time.Millisecond {
				t.Errorf("took %v to time out after 50ms", took)
			}
		})
	}
}

func TestDownCoreIsUnavailable(t *testing.T) {
	p := fastPolicy()
	f := newFixture(t, simulator.Faults{Down: true}, p)
	_, err := f.client.Unit(context.Background(), domain.CreditCode(f.people["在职"].UnitCode))
	wantCode(t, err, domain.Unavailable)
}

// TestRetriesRideOutErrors: with half the requests failing, retried reads
// still all succeed. The injector's draws follow its seed, so the outcome
// is the same on every run.
func TestRetriesRideOutErrors(t *testing.T) {
	p := fastPolicy()
	p.Retries, p.BreakerFailures = 5, 100
	f := newFixture(t, simulator.Faults{ErrorRate: 0.5}, p)
	id := f.id(t, "退休")
	const calls = 30
	for k := range calls {
		if _, err := f.client.PensionBenefit(context.Background(), id); err != nil {
			t.Fatalf("call %d: %v", k, err)
		}
	}
	if n := f.sim.Injector().Requests(); n <= calls {
		t.Errorf("%d requests for %d calls; the error rate should have forced retries", n, calls)
	}
}

// TestUnexpectedAnswers covers what the simulator never sends but a
// misconfigured network or a broken core might.
func TestUnexpectedAnswers(t *testing.T) {
	personBody := func(birth string) string {
		return `<?xml version="1.0"?><soap:Envelope xmlns:soap="` + insurance.EnvelopeNamespace + `"><soap:Body>` +
			`<QueryPersonResponse xmlns="` + insurance.Namespace + `"><person><idNumber>210602199001011234</idNumber>` +
			`<gender>1</gender><birthDate>` + birth + `</birthDate><status>1</status><insuredSince>201001</insuredSince>` +
			`</person></QueryPersonResponse></soap:Body></soap:Envelope>`
	}
	faultBody := func(code, detail string) string {
		return string(insurance.AppendFault(nil, &insurance.Fault{Code: code, String: "x", Detail: insurance.FaultDetail{Code: detail}}))
	}
	tests := []struct {
		name   string
		status int
		body   string
		want   domain.Code
	}{
		{"well formed", 200, personBody("19900101"), ""},
		{"impossible date", 200, personBody("19900230"), domain.Internal},
		{"not XML", 200, "<html>maintenance</html>", domain.Internal},
		{"gateway error page", 502, "<html>Bad Gateway</html>", domain.Unavailable},
		{"gateway timeout", 504, "", domain.Timeout},
		{"500 without a fault", 500, "<html>oops</html>", domain.Unavailable},
		{"unknown server fault", 500, faultBody(insurance.FaultCodeServer, "DB_LOCKED"), domain.Unavailable},
		{"unknown client fault", 500, faultBody(insurance.FaultCodeClient, "BAD_VERSION"), domain.Internal},
		{"busy", 500, faultBody(insurance.FaultCodeServer, insurance.FaultBusy), domain.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("SOAPAction") != insurance.SOAPAction(insurance.OpPerson) ||
					!strings.HasPrefix(r.Header.Get("Content-Type"), "text/xml") {
					t.Errorf("request headers %v", r.Header)
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			p := fastPolicy()
			p.Retries = 0
			c := insurance.New(insurance.Config{BaseURL: srv.URL, Policy: p}, prometheus.NewRegistry())
			defer c.Close()
			_, err := c.Person(context.Background(), "210602199001011234")
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tt.want)
		})
	}
}

// BenchmarkClientOverview measures QueryInsurance calls a second through
// the production client, real HTTP and the simulator, with no injected
// latency: the whole path the BFF takes on a cache miss.
func BenchmarkClientOverview(b *testing.B) {
	f := newFixture(b, simulator.Faults{}, remote.DefaultPolicy())
	var ids []domain.IDNumber
	for _, p := range f.sim.Sample(500) {
		ids = append(ids, domain.IDNumber(p.ID))
	}
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		k := 0
		for pb.Next() {
			k++
			if _, err := f.client.Overview(context.Background(), ids[k%len(ids)]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
