package smcrypto_test

import (
	"testing"

	"github.com/dandong-hrss/hrss/domain/privacy"
)

// The costs a store pays per row: every read of an insured person opens an
// ID number, and every look-up computes an index.

func BenchmarkSeal(b *testing.B) {
	s := newSealer(b, "k2025b:"+key2025, "k2025b")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Seal(rawID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkOpen(b *testing.B) {
	s := newSealer(b, "k2025b:"+key2025, "k2025b")
	sealed, _ := s.Seal(rawID)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Open(sealed); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	s := newSealer(b, "k2025b:"+key2025, "k2025b")
	b.ReportAllocs()
	for b.Loop() {
		s.BlindIndex(privacy.KindIDNumber, rawID)
	}
}

func BenchmarkBlindIndexParallel(b *testing.B) {
	s := newSealer(b, "k2025b:"+key2025, "k2025b")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.BlindIndex(privacy.KindIDNumber, rawID)
		}
	})
}
