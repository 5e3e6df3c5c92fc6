package applicationdb

import (
	"context"
	"encoding/json"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/declaration"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// draftRow is a row of draft.
type draftRow struct {
	ApplicantRef string    `db:"applicant_ref"`
	Code         string    `db:"code"`
	Situation    string    `db:"situation"`
	FormSealed   string    `db:"form_sealed"`
	Materials    string    `db:"materials"`
	Channel      string    `db:"channel"`
	UpdatedAt    time.Time `db:"updated_at"`
}

const draftColumns = `applicant_ref, code, situation, form_sealed, materials, channel, updated_at`

func (r draftRow) domain() declaration.Draft {
	d := declaration.Draft{ApplicantRef: r.ApplicantRef, Code: r.Code, Situation: r.Situation, SealedForm: r.FormSealed,
		Channel: domain.Channel(r.Channel), UpdatedAt: r.UpdatedAt}
	json.Unmarshal([]byte(r.Materials), &d.Materials)
	return d
}

// SaveDraft implements declaration.DraftStore.
func (s *Store) SaveDraft(ctx context.Context, d declaration.Draft) error {
	q := `INSERT INTO draft (` + draftColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?) ` +
		s.upsert("applicant_ref, code", "situation", "form_sealed", "materials", "channel", "updated_at")
	_, err := s.db.ExecContext(ctx, q, d.ApplicantRef, d.Code, d.Situation, d.SealedForm, jsonText(d.Materials),
		string(d.Channel), ts(d.UpdatedAt))
	return store.Translate(err, "草稿")
}

// Draft implements declaration.DraftStore.
func (s *Store) Draft(ctx context.Context, applicantRef, code string) (declaration.Draft, error) {
	var r draftRow
	err := s.db.GetContext(ctx, &r, `SELECT `+draftColumns+` FROM draft WHERE applicant_ref = ? AND code = ?`, applicantRef, code)
	if err != nil {
		return declaration.Draft{}, store.Translate(err, "草稿")
	}
	return r.domain(), nil
}

// Drafts implements declaration.DraftStore.
func (s *Store) Drafts(ctx context.Context, applicantRef string, since time.Time) ([]declaration.Draft, error) {
	var rows []draftRow
	err := s.db.SelectContext(ctx, &rows, `SELECT `+draftColumns+` FROM draft WHERE applicant_ref = ? AND updated_at > ?
		ORDER BY updated_at DESC`, applicantRef, ts(since))
	if err != nil {
		return nil, store.Translate(err, "草稿")
	}
	out := make([]declaration.Draft, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.domain())
	}
	return out, nil
}

// DeleteDraft implements declaration.DraftStore.
func (s *Store) DeleteDraft(ctx context.Context, applicantRef, code string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM draft WHERE applicant_ref = ? AND code = ?`, applicantRef, code)
	return store.Translate(err, "草稿")
}
