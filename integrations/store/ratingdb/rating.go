package ratingdb

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/rating"
)

const ratingColumns = "id, application_id, stage, level, tags, comment, channel, matter_code, matter_name, " +
	"office, staff, rater_ref, rated_at, rated_on, excluded"

// ratingRow is a row of the rating table.
type ratingRow struct {
	ID            string    `db:"id"`
	ApplicationID string    `db:"application_id"`
	Stage         string    `db:"stage"`
	Level         int       `db:"level"`
	Tags          string    `db:"tags"`
	Comment       string    `db:"comment"`
	Channel       string    `db:"channel"`
	MatterCode    string    `db:"matter_code"`
	MatterName    string    `db:"matter_name"`
	Office        string    `db:"office"`
	Staff         string    `db:"staff"`
	RaterRef      string    `db:"rater_ref"`
	RatedAt       time.Time `db:"rated_at"`
	RatedOn       string    `db:"rated_on"`
	Excluded      bool      `db:"excluded"`
}

// Add implements rating.Store.
func (s *Store) Add(ctx context.Context, r rating.Rating, opened *rating.Rectification) error {
	tags, err := json.Marshal(nonNil(r.Tags))
	if err != nil {
		return fmt.Errorf("rating tags: %w", err)
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := exec(ctx, tx, "INSERT INTO rating ("+ratingColumns+") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			r.ID, r.ApplicationID, string(r.Stage), int(r.Level), string(tags), clip(r.Comment, 1000),
			string(r.Channel), clip(r.MatterCode, 64), clip(r.MatterName, 128), clip(r.Office, 128),
			clip(r.Staff, 64), r.RaterRef, ts(r.At), rating.Day(r.At), r.Excluded); err != nil {
			return err
		}
		if opened != nil {
			if err := insertRectification(ctx, tx, *opened); err != nil {
				return err
			}
		}
		if r.Stage == rating.StageCompleted {
			_, err := exec(ctx, tx, "DELETE FROM rating_candidate WHERE application_id = ?", r.ApplicationID)
			return err
		}
		return nil
	})
	return fail(err, "评价")
}

// Ratings implements rating.Store.
func (s *Store) Ratings(ctx context.Context, applicationID string) ([]rating.Rating, error) {
	var rows []ratingRow
	if err := s.db.SelectContext(ctx, &rows, "SELECT "+ratingColumns+" FROM rating WHERE application_id = ?", applicationID); err != nil {
		return nil, fail(err, "评价")
	}
	out := make([]rating.Rating, 0, len(rows))
	for _, row := range rows {
		r, err := row.rating()
		if err != nil {
			return nil, fail(err, "评价")
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return stageOrder(out[i].Stage) < stageOrder(out[j].Stage) })
	return out, nil
}

func (row ratingRow) rating() (rating.Rating, error) {
	var tags []string
	if err := json.Unmarshal([]byte(row.Tags), &tags); err != nil {
		return rating.Rating{}, fmt.Errorf("rating %s tags: %w", row.ID, err)
	}
	return rating.Rating{
		ID: row.ID, ApplicationID: row.ApplicationID, Stage: rating.Stage(row.Stage), Level: rating.Level(row.Level),
		Tags: tags, Comment: row.Comment, Channel: domain.Channel(row.Channel), MatterCode: row.MatterCode,
		MatterName: row.MatterName, Office: row.Office, Staff: row.Staff, RaterRef: row.RaterRef,
		At: bj(row.RatedAt), Excluded: row.Excluded,
	}, nil
}

// stageOrder puts the stages in the order a case goes through them.
func stageOrder(s rating.Stage) int {
	for i, st := range rating.Stages {
		if st == s {
			return i
		}
	}
	return len(rating.Stages)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
