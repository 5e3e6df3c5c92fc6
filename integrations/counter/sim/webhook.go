package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/jmoiron/sqlx"
)

// maxParallelPosts bounds webhook posts in flight, each for a different
// case: a case's events go one at a time.
const maxParallelPosts = 16

// owed is a webhook post still owed: a row of csim_deliveries.
type owed struct {
	EventID  int64 `db:"event_id"`
	Attempts int   `db:"attempts"`
}

// wake tells the deliverer an event was recorded, so the BFF hears of it
// at once rather than at the next poll.
func (s *Sim) wake() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// deliverLoop posts owed events until Close. It looks again at once after a
// round that delivered something, and otherwise on a wake or a short poll
// that brings failed posts up again when their backoff has passed.
func (s *Sim) deliverLoop() {
	poll := min(max(s.cfg.WebhookBackoff/2, 5*time.Millisecond), time.Second)
	for {
		n := s.deliverRound()
		if s.ctx.Err() != nil {
			return
		}
		if n > 0 {
			continue
		}
		t := time.NewTimer(poll)
		select {
		case <-s.ctx.Done():
			t.Stop()
			return
		case <-s.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// deliverRound posts, for each case with events owed, its earliest owed
// event if its backoff has passed: so event n+1 of a case is never posted
// before event n was taken. It returns how many the BFF took.
func (s *Sim) deliverRound() int {
	url := *s.webhook.Load()
	if url == "" {
		return 0
	}
	var heads []owed
	err := s.db.SelectContext(s.ctx, &heads, `SELECT d.event_id, d.attempts FROM csim_deliveries d
		WHERE d.next_at <= ? AND d.seq = (SELECT MIN(d2.seq) FROM csim_deliveries d2 WHERE d2.case_id = d.case_id)
		ORDER BY d.event_id LIMIT 64`, now())
	if err != nil {
		if s.ctx.Err() == nil {
			s.cfg.Logger.Error("counter sim: read owed webhook posts", "err", err)
		}
		return 0
	}
	var taken atomic.Int64
	sem := make(chan struct{}, maxParallelPosts)
	var wg sync.WaitGroup
	for _, h := range heads {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if s.deliver(url, h) {
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	return int(taken.Load())
}

// deliver makes one post of an owed event and records the outcome: the debt
// cleared, or the next attempt put off by a doubling backoff.
func (s *Sim) deliver(url string, h owed) bool {
	var e eventRow
	if err := s.db.GetContext(s.ctx, &e, `SELECT `+eventColumns+` FROM csim_events WHERE id = ?`, h.EventID); err != nil {
		return false
	}
	body, _ := json.Marshal(eventToWire(e))
	postErr := s.post(url, strconv.FormatInt(e.ID, 10), body)
	if s.ctx.Err() != nil {
		return false // closing: the post stays owed for the next start
	}
	err := s.inTx(s.ctx, func(tx *sqlx.Tx) error {
		if postErr == nil {
			return clearDebt(s.ctx, tx, h.EventID)
		}
		_, err := tx.ExecContext(s.ctx, `UPDATE csim_deliveries SET attempts = attempts + 1, next_at = ?,
			last_error = ? WHERE event_id = ?`, now().Add(s.backoff(h.Attempts)), truncate(postErr.Error(), 255), h.EventID)
		return err
	})
	if err != nil && s.ctx.Err() == nil {
		s.cfg.Logger.Error("counter sim: record webhook post", "event", h.EventID, "err", err)
	}
	return postErr == nil && err == nil
}

func clearDebt(ctx context.Context, tx *sqlx.Tx, eventID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM csim_deliveries WHERE event_id = ?`, eventID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE csim_events SET delivered_at = ? WHERE id = ?`, now(), eventID)
	return err
}

// backoff is the wait after attempt+1 failed posts: WebhookBackoff doubled
// per earlier failure, at most WebhookBackoffMax.
func (s *Sim) backoff(attempts int) time.Duration {
	if attempts >= 30 {
		return s.cfg.WebhookBackoffMax
	}
	return min(s.cfg.WebhookBackoff<<attempts, s.cfg.WebhookBackoffMax)
}

// post makes one signed post; nil means the BFF answered 2xx.
func (s *Sim) post(url, eventID string, body []byte) error {
	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	counter.SetWebhookHeaders(req.Header, s.cfg.WebhookSecret, eventID, body, time.Now())
	resp, err := s.poster.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("webhook answered %s", resp.Status)
	}
	return nil
}

// PendingDeliveries counts the webhook posts still owed, for tests and
// health pages.
func (s *Sim) PendingDeliveries(ctx context.Context) (int, error) {
	var n int
	err := s.db.GetContext(ctx, &n, `SELECT COUNT(*) FROM csim_deliveries`)
	return n, err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
