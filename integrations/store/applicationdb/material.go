package applicationdb

import (
	"context"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// PutMaterial implements declaration.MaterialStore. The same content under
// the same hash is stored once, whoever uploads it.
func (s *Store) PutMaterial(ctx context.Context, f declaration.MaterialFile) error {
	q := `INSERT INTO material (hash, content_type, size, data, created_at) VALUES (?, ?, ?, ?, ?) `
	if s.db.Dialect == store.MySQL {
		q += `ON DUPLICATE KEY UPDATE hash = hash`
	} else {
		q += `ON CONFLICT (hash) DO NOTHING`
	}
	_, err := s.db.ExecContext(ctx, q, f.Hash, f.ContentType, f.Size, f.Data, ts(f.CreatedAt))
	if err != nil {
		return store.Translate(err, "材料")
	}
	s.known.add(f.Hash)
	return nil
}

// MissingMaterials implements declaration.MaterialStore. Material files
// are content-addressed and never deleted, so a hash once found is known
// for good: those are answered from memory, saving a query per submission.
func (s *Store) MissingMaterials(ctx context.Context, hashes []string) ([]string, error) {
	unknown := s.known.filter(hashes)
	if len(unknown) == 0 {
		return nil, nil
	}
	q, args, err := s.in(`SELECT hash FROM material WHERE hash IN (?)`, unknown)
	if err != nil {
		return nil, err
	}
	var found []string
	if err := s.db.SelectContext(ctx, &found, q, args...); err != nil {
		return nil, store.Translate(err, "材料")
	}
	have := make(map[string]bool, len(found))
	for _, h := range found {
		have[h] = true
	}
	s.known.add(found...)
	var missing []string
	for _, h := range unknown {
		if !have[h] {
			missing = append(missing, h)
		}
	}
	return missing, nil
}

// Material implements declaration.MaterialStore.
func (s *Store) Material(ctx context.Context, hash string) (declaration.MaterialFile, error) {
	var r struct {
		Hash        string    `db:"hash"`
		ContentType string    `db:"content_type"`
		Size        int       `db:"size"`
		Data        []byte    `db:"data"`
		CreatedAt   time.Time `db:"created_at"`
	}
	err := s.db.GetContext(ctx, &r, `SELECT hash, content_type, size, data, created_at FROM material WHERE hash = ?`, hash)
	if err != nil {
		return declaration.MaterialFile{}, store.Translate(err, "材料")
	}
	return declaration.MaterialFile{Hash: r.Hash, ContentType: r.ContentType, Size: r.Size, Data: r.Data, CreatedAt: r.CreatedAt}, nil
}

// maxKnown bounds the hashes a knownSet remembers: 64 thousand, a few MB.
const maxKnown = 1 << 16

// knownSet remembers material hashes known to be stored. When full it
// forgets everything and starts again: forgetting costs a query, never a
// wrong answer.
type knownSet struct {
	mu     sync.Mutex
	hashes map[string]struct{}
}

// filter returns those of hashes not known to be stored.
func (k *knownSet) filter(hashes []string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []string
	for _, h := range hashes {
		if _, ok := k.hashes[h]; !ok {
			out = append(out, h)
		}
	}
	return out
}

func (k *knownSet) add(hashes ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.hashes == nil || len(k.hashes)+len(hashes) > maxKnown {
		k.hashes = make(map[string]struct{}, len(hashes))
	}
	for _, h := range hashes {
		k.hashes[h] = struct{}{}
	}
}
