package document_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// memStore keeps records in a map, refusing a taken serial as the real
// stores do.
type memStore struct {
	mu      sync.Mutex
	records map[string]document.Record
	saves   int
}

func newMemStore() *memStore { return &memStore{records: map[string]document.Record{}} }

func (m *memStore) Save(_ context.Context, r document.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.saves++
	if _, ok := m.records[r.Serial]; ok {
		return domain.Errorf(domain.Conflict, "该文书编号已存在")
	}
	m.records[r.Serial] = r
	return nil
}

func (m *memStore) Record(_ context.Context, serial string) (document.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.records[serial]
	if !ok {
		return document.Record{}, domain.Errorf(domain.NotFound, "未找到该文书")
	}
	return r, nil
}

// fakeRenderer returns the sheet's serial as the "PDF" and remembers the
// sheets it drew.
type fakeRenderer struct {
	mu     sync.Mutex
	sheets []document.Sheet
	err    error
}

func (f *fakeRenderer) Render(_ context.Context, s document.Sheet) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return nil, f.err
	}
	f.sheets = append(f.sheets, s)
	return []byte("%PDF " + s.Serial), nil
}

// hashSealer indexes with a plain hash: enough for the service's rules.
type hashSealer struct{}

func (hashSealer) Seal(p string) (string, error) { return p, nil }
func (hashSealer) Open(s string) (string, error) { return s, nil }
func (hashSealer) BlindIndex(k privacy.Kind, v string) string {
	if v == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(string(k) + ":" + v))
	return hex.EncodeToString(sum[:16])
}

// auditLog collects audit entries.
type auditLog struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (a *auditLog) Record(_ context.Context, e audit.Entry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.entries = append(a.entries, e)
}
