package sim_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/insurance/sim"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// BenchmarkSimPerson measures how many QueryPerson requests a second the
// simulator serves over real HTTP on loopback, with no injected latency:
// the load test needs it well above the BFF's 1000 requests a second.
func BenchmarkSimPerson(b *testing.B) {
	s := sim.New(sim.Config{Seed: 1, AsOf: asOf})
	srv, err := simulator.Serve("127.0.0.1:0", s)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Close(context.Background()) })
	var bodies [][]byte
	for _, p := range s.Sample(500) {
		bodies = append(bodies, insurance.AppendRequest(nil, insurance.OpPerson, &insurance.Request{IDNumber: p.ID}))
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	url := srv.URL() + insurance.ServicePath
	action := insurance.SOAPAction(insurance.OpPerson)
	var next atomic.Int64
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			body := bodies[int(next.Add(1))%len(bodies)]
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "text/xml; charset=utf-8")
			req.Header.Set("SOAPAction", action)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
