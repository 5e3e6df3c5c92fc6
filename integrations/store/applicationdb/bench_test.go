package applicationdb_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// BenchmarkSubmitMariaDB measures durable submissions through the whole
// service: identify and seal the applicant, check the material, seal the
// form, and commit application + outbox in one transaction on MariaDB
// with the server's own durability settings (InnoDB flushes at commit).
// Each submission is a different citizen with a fresh key, as at peak. It
// reports applications/s; the target is 1,000.
func BenchmarkSubmitMariaDB(b *testing.B) {
	e := newEnv(storetest.MySQL(b), nil, nil)
	mat, err := e.decl.UploadMaterial(context.Background(), []byte("%PDF-1.7 离职证明"))
	if err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	b.SetParallelism(8) // goroutines per CPU: a BFF serves many requests at once
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(seq.Add(1))
			req := request(i, "employment.unemployment_registration", fmt.Sprint("bench-", i))
			req.Materials = []acceptance.Material{{Name: "离职证明", Hash: mat.Hash}}
			if _, err := e.decl.Submit(context.Background(), req); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "applications/s")
}
