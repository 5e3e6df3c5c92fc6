package sim_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// serve starts s on a loopback port for the test.
func serve(tb testing.TB, s *sim.Sim) string {
	tb.Helper()
	srv, err := simulator.Serve("127.0.0.1:0", s)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close(context.Background()) })
	return srv.URL()
}

// post sends body with the SOAPAction of op and returns status, content
// type and body.
func post(t *testing.T, base, op, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+insurance.ServicePath, strings.NewReader(body))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", insurance.SOAPAction(op))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

// fault decodes a fault answer.
func fault(t *testing.T, body string) *insurance.Fault {
	t.Helper()
	var v struct{}
	err := insurance.DecodeBody([]byte(body), "none", &v)
	f, ok := err.(*insurance.Fault)
	if !ok {
		t.Fatalf("answer is not a fault (%v): %s", err, body)
	}
	return f
}

func TestSOAPProtocol(t *testing.T) {
	s := sim.New(sim.Config{Seed: 1, AsOf: asOf})
	base := serve(t, s)
	id := s.Sample(1)[0].ID
	valid := string(insurance.AppendRequest(nil, insurance.OpPerson, &insurance.Request{IDNumber: id}))
	tests := []struct {
		name, op, body string
		status         int
		faultCode      string
	}{
		{"answer", insurance.OpPerson, valid, 200, ""},
		{"unknown operation", "QuerySalary", valid, 500, insurance.FaultUnknownOperation},
		{"not XML", insurance.OpPerson, "idNumber=" + id, 500, insurance.FaultInvalidArgument},
		{"body for another operation", insurance.OpUnit, valid, 500, insurance.FaultInvalidArgument},
		{"unknown person", insurance.OpPerson, strings.Replace(valid, id, "11010519491231002X", 1), 500, insurance.FaultPersonNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, ctype, body := post(t, base, tt.op, tt.body)
			if status != tt.status || !strings.HasPrefix(ctype, "text/xml") {
				t.Fatalf("got %d %s; want %d text/xml: %s", status, ctype, tt.status, body)
			}
			if tt.faultCode == "" {
				return
			}
			if f := fault(t, body); f.Detail.Code != tt.faultCode || f.String == "" {
				t.Errorf("fault %+v; want detail code %s with a fault string", f, tt.faultCode)
			}
		})
	}
}

func TestMethodNotAllowed(t *testing.T) {
	base := serve(t, sim.New(sim.Config{Seed: 1, AsOf: asOf}))
	resp, err := http.Get(base + insurance.ServicePath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d; want 405", resp.StatusCode)
	}
}

func TestInjectedErrorIsSOAPFault(t *testing.T) {
	s := sim.New(sim.Config{Seed: 1, AsOf: asOf})
	base := serve(t, s)
	if err := simulator.SetFaults(context.Background(), base, simulator.Faults{ErrorRate: 1}); err != nil {
		t.Fatal(err)
	}
	body := insurance.AppendRequest(nil, insurance.OpPerson, &insurance.Request{IDNumber: s.Sample(1)[0].ID})
	status, _, answer := post(t, base, insurance.OpPerson, string(body))
	f := fault(t, answer)
	if status != 500 || f.Code != insurance.FaultCodeServer || f.Detail.Code != insurance.FaultBusy {
		t.Errorf("got %d %+v; want 500 soap:Server %s", status, f, insurance.FaultBusy)
	}
}
