package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/bits"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// RecorderConfig tunes the Recorder; zero fields take the defaults.
type RecorderConfig struct {
	Buffer       int              // entries held in memory awaiting the writer; default 10000 (10 s of peak reads)
	BatchSize    int              // most entries per Append; default 500
	FlushEvery   time.Duration    // longest an entry waits before a flush; default 200ms
	BlockFor     time.Duration    // how long Record waits for room in a full buffer before dropping; default 50ms
	WriteTimeout time.Duration    // deadline of one Append; default 5s
	RetryMax     time.Duration    // longest pause between retries of a failing batch; default 5s
	Logger       *slog.Logger     // flush failures and drops; default slog.Default()
	Now          func() time.Time // stamps entries without At; default time.Now
}

func (c *RecorderConfig) defaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.Buffer <= 0 {
		c.Buffer = 10000
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	def(&c.FlushEvery, 200*time.Millisecond)
	def(&c.BlockFor, 50*time.Millisecond)
	def(&c.WriteTimeout, 5*time.Second)
	def(&c.RetryMax, 5*time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Stats counts what the Recorder did since it started, for the BFF to export
// as metrics. Recorded = Written + Dropped + Pending (+ the batch being
// written) at any moment.
type Stats struct {
	Recorded      uint64 // well-formed entries passed to Record, dropped or not
	Written       uint64 // entries the Store acknowledged
	Blocked       uint64 // Record calls that had to wait for room in the buffer
	Dropped       uint64 // entries lost: no room after BlockFor, Record after Close, or unwritten at Close
	Rejected      uint64 // entries refused as malformed (no action, unknown actor kind): a defect
	FailedFlushes uint64 // Append calls that failed; their batch was retried
	Pending       int    // entries in the buffer now
}

// Recorder writes audit entries to a Store in the background. Record is
// safe for concurrent use and costs a channel send on the hot path.
//
// When the database is slow or down the buffer fills; Record then waits up
// to BlockFor for room — slowing requests a little rather than losing the
// trail — and past that drops the entry and counts it in Stats.Dropped, so a
// database outage never stops citizens from being served. A failed batch is
// retried, with growing pauses, until it is written or the Recorder closes;
// a batch whose write succeeded but whose answer was lost may be written
// twice, which an audit trail tolerates better than a gap.
type Recorder struct {
	store Store
	cfg   RecorderConfig
	in    chan Entry

	mu     sync.RWMutex // Record holds it shared; Close exclusively, to stop sends
	closed bool

	stop     chan struct{}   // closed by Close: drain and exit
	closeCtx context.Context // Close's context, set before stop is closed
	done     chan struct{}   // closed by the writer when it exits
	lost     error           // set by the writer before done: what Close reports
	once     sync.Once

	recorded, written, blocked, dropped, rejected, failed atomic.Uint64
}

// NewRecorder starts a Recorder writing to store. Call Close at shutdown to
// flush what is left.
func NewRecorder(store Store, cfg RecorderConfig) *Recorder {
	cfg.defaults()
	r := &Recorder{
		store: store,
		cfg:   cfg,
		in:    make(chan Entry, cfg.Buffer),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go r.run()
	return r
}

// Record queues e for writing. It fills in At (now) and Outcome (OK) when
// they are empty. It never fails the caller's request: a malformed entry is
// logged and counted in Stats.Rejected, one that finds no room within
// BlockFor in Stats.Dropped. The Recorder owns e.Detail from here on.
func (r *Recorder) Record(ctx context.Context, e Entry) {
	if why := e.check(); why != "" {
		r.rejected.Add(1)
		r.cfg.Logger.Error("audit entry rejected", "reason", why, "action", fit(e.Action, MaxActionLen), "actor_kind", fit(string(e.ActorKind), MaxRefLen))
		return
	}
	if e.At.IsZero() {
		e.At = r.cfg.Now()
	}
	if e.Outcome == "" {
		e.Outcome = OK
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	r.recorded.Add(1)
	if r.closed {
		r.drop(1)
		return
	}
	select {
	case r.in <- e:
		return
	default:
	}
	r.waitForRoom(ctx, e)
}

// waitForRoom is Record's slow path: the buffer is full.
func (r *Recorder) waitForRoom(ctx context.Context, e Entry) {
	r.blocked.Add(1)
	t := time.NewTimer(r.cfg.BlockFor)
	defer t.Stop()
	select {
	case r.in <- e:
		return
	case <-t.C:
	case <-ctx.Done():
	}
	r.drop(1)
}

// drop counts n lost entries and logs at the 1st, 2nd, 4th, 8th… loss, so a
// long outage is visible in the log without flooding it.
func (r *Recorder) drop(n uint64) {
	total := r.dropped.Add(n)
	if bits.Len64(total-n) != bits.Len64(total) {
		r.cfg.Logger.Error("audit entries dropped: the audit log buffer is full or closed", "dropped_total", total, "buffer", r.cfg.Buffer)
	}
}

// Stats returns the counters so far.
func (r *Recorder) Stats() Stats {
	return Stats{
		Recorded:      r.recorded.Load(),
		Written:       r.written.Load(),
		Blocked:       r.blocked.Load(),
		Dropped:       r.dropped.Load(),
		Rejected:      r.rejected.Load(),
		FailedFlushes: r.failed.Load(),
		Pending:       len(r.in),
	}
}

// Close stops accepting entries and writes what is buffered, within ctx.
// Error: Internal, saying how many entries could not be written, when the
// store keeps failing until ctx ends. Later calls return nil.
func (r *Recorder) Close(ctx context.Context) error {
	first := false
	r.once.Do(func() {
		first = true
		r.mu.Lock()
		r.closed = true
		r.mu.Unlock()
		r.closeCtx = ctx
		close(r.stop)
	})
	if !first {
		return nil
	}
	select {
	case <-r.done:
		return r.lost
	case <-ctx.Done():
		<-r.done // the writer gives up on the same ctx
		return r.lost
	}
}

// run is the writer: it gathers entries into batches and appends a batch
// when it is full or FlushEvery has passed.
func (r *Recorder) run() {
	defer close(r.done)
	tick := time.NewTicker(r.cfg.FlushEvery)
	defer tick.Stop()
	batch := make([]Entry, 0, r.cfg.BatchSize)
	var retry retryState
	for {
		in := r.in
		if len(batch) == cap(batch) {
			in = nil // full and not yet written: leave the rest in the buffer
		}
		select {
		case e := <-in:
			batch = append(batch, e)
			if len(batch) == cap(batch) && retry.due(time.Now()) {
				batch = r.flush(context.Background(), batch, &retry)
			}
		case <-tick.C:
			if len(batch) > 0 && retry.due(time.Now()) {
				batch = r.flush(context.Background(), batch, &retry)
			}
		case <-r.stop:
			r.lost = r.drain(batch)
			return
		}
	}
}

// flush appends batch and returns it emptied, or unchanged if the append
// failed (the retry state then schedules the next attempt).
func (r *Recorder) flush(ctx context.Context, batch []Entry, retry *retryState) []Entry {
	ctx, cancel := context.WithTimeout(ctx, r.cfg.WriteTimeout)
	defer cancel()
	clean := make([]Entry, len(batch))
	for i, e := range batch {
		clean[i] = e.clean()
	}
	if err := r.store.Append(ctx, clean); err != nil {
		r.failed.Add(1)
		pause := retry.failed(time.Now(), r.cfg.FlushEvery, r.cfg.RetryMax)
		r.cfg.Logger.Error("audit log write failed; retrying", "entries", len(batch), "retry_in", pause, "error", err)
		return batch
	}
	r.written.Add(uint64(len(batch)))
	retry.reset()
	return batch[:0]
}

// drain writes the batch in hand and everything buffered, retrying until
// Close's context ends, and reports what was lost.
func (r *Recorder) drain(batch []Entry) error {
	ctx := r.closeCtx
	var retry retryState
	for {
		for len(batch) < cap(batch) && len(r.in) > 0 {
			batch = append(batch, <-r.in)
		}
		if len(batch) == 0 {
			return nil
		}
		batch = r.flush(ctx, batch, &retry)
		if len(batch) == 0 {
			continue
		}
		select {
		case <-ctx.Done():
			n := len(batch) + len(r.in)
			r.drop(uint64(n))
			return domain.Wrap(errors.Join(ctx.Err(), fmt.Errorf("%d audit entries not written", n)), domain.Internal, "审计日志未能全部写入")
		case <-time.After(retry.wait(time.Now())):
		}
	}
}

// retryState spaces the attempts at a failing batch: FlushEvery, doubling
// up to RetryMax, so a database outage is not hammered.
type retryState struct {
	pause time.Duration
	next  time.Time
}

func (s *retryState) due(now time.Time) bool { return !now.Before(s.next) }

func (s *retryState) wait(now time.Time) time.Duration { return max(s.next.Sub(now), 0) }

func (s *retryState) failed(now time.Time, first, most time.Duration) time.Duration {
	s.pause = min(max(2*s.pause, first), most)
	s.next = now.Add(s.pause)
	return s.pause
}

func (s *retryState) reset() { *s = retryState{} }
