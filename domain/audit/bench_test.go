package audit_test

import (
	"context"
	"testing"

	"github.com/dandong-hrss/hrss/domain/audit"
)

// discardStore accepts every batch at once.
type discardStore struct{}

func (discardStore) Append(context.Context, []audit.Entry) error { return nil }
func (discardStore) ForSubject(context.Context, string, int) ([]audit.Entry, error) {
	return nil, nil
}

// BenchmarkRecord is the cost a request pays to be audited, with handlers
// recording in parallel as at peak.
func BenchmarkRecord(b *testing.B) {
	r := audit.NewRecorder(discardStore{}, audit.RecorderConfig{Logger: quiet})
	e := read(1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r.Record(context.Background(), e)
		}
	})
	b.StopTimer()
	if err := r.Close(context.Background()); err != nil {
		b.Fatal(err)
	}
}
