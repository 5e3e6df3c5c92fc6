package audit_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
)

// memStore keeps appended batches in memory. appendFn, when set, runs first
// and may fail the append or hold it.
type memStore struct {
	mu       sync.Mutex
	batches  [][]audit.Entry
	appendFn func(ctx context.Context, attempt int) error
	attempts int
}

func (m *memStore) Append(ctx context.Context, entries []audit.Entry) error {
	m.mu.Lock()
	m.attempts++
	attempt, fn := m.attempts, m.appendFn
	m.mu.Unlock()
	if fn != nil {
		if err := fn(ctx, attempt); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.batches = append(m.batches, append([]audit.Entry(nil), entries...))
	return nil
}

func (m *memStore) ForSubject(_ context.Context, ref string, limit int) ([]audit.Entry, error) {
	var out []audit.Entry
	for _, e := range m.all() {
		if e.SubjectRef == ref {
			out = append([]audit.Entry{e}, out...)
		}
	}
	return out[:min(limit, len(out))], nil
}

func (m *memStore) all() []audit.Entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []audit.Entry
	for _, b := range m.batches {
		out = append(out, b...)
	}
	return out
}

func (m *memStore) batchSizes() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []int
	for _, b := range m.batches {
		out = append(out, len(b))
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// read is a well-formed entry numbered i.
func read(i int) audit.Entry {
	return audit.Entry{
		ActorKind:  audit.Person,
		ActorRef:   "actorindex",
		Channel:    domain.Kiosk,
		Action:     "insured.overview.read",
		SubjectRef: "subjectindex",
		RequestID:  "req-" + strconv.Itoa(i),
		Detail:     map[string]string{"seq": strconv.Itoa(i)},
	}
}

func closeOK(t *testing.T, r *audit.Recorder) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// checkSequence fails unless entries are read(0)…read(n-1) in order.
func checkSequence(t *testing.T, entries []audit.Entry, n int) {
	t.Helper()
	if len(entries) != n {
		t.Fatalf("got %d entries; want %d", len(entries), n)
	}
	for i, e := range entries {
		if got := e.Detail["seq"]; got != strconv.Itoa(i) {
			t.Fatalf("entry %d: got seq %s; want %d (order lost)", i, got, i)
		}
	}
}

func TestRecorderWritesInFewBatches(t *testing.T) {
	st := &memStore{}
	r := audit.NewRecorder(st, audit.RecorderConfig{FlushEvery: time.Hour, Logger: quiet})
	for i := range 100 {
		r.Record(context.Background(), read(i))
	}
	closeOK(t, r)
	if got := st.batchSizes(); len(got) != 1 || got[0] != 100 {
		t.Errorf("batch sizes: got %v; want one batch of 100", got)
	}
	checkSequence(t, st.all(), 100)
	if s := r.Stats(); s.Recorded != 100 || s.Written != 100 || s.Dropped != 0 || s.Pending != 0 {
		t.Errorf("stats: got %+v; want 100 recorded and written, none dropped or pending", s)
	}
}

func TestRecorderCutsBatchesAtBatchSize(t *testing.T) {
	st := &memStore{}
	r := audit.NewRecorder(st, audit.RecorderConfig{BatchSize: 10, FlushEvery: time.Hour, Logger: quiet})
	for i := range 25 {
		r.Record(context.Background(), read(i))
	}
	closeOK(t, r)
	for _, n := range st.batchSizes() {
		if n > 10 {
			t.Errorf("batch of %d; want at most 10", n)
		}
	}
	checkSequence(t, st.all(), 25)
}

// Entries reach the store within FlushEvery even when no batch fills up and
// nobody closes the recorder.
func TestRecorderFlushesOnTime(t *testing.T) {
	st := &memStore{}
	r := audit.NewRecorder(st, audit.RecorderConfig{FlushEvery: 5 * time.Millisecond, Logger: quiet})
	defer closeOK(t, r)
	for i := range 3 {
		r.Record(context.Background(), read(i))
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(st.all()) < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s the store has %d entries; want 3", len(st.all()))
		}
		time.Sleep(time.Millisecond)
	}
}

// A failing database delays entries; it does not lose them.
func TestRecorderRetriesFailedBatch(t *testing.T) {
	st := &memStore{appendFn: func(_ context.Context, attempt int) error {
		if attempt <= 2 {
			return domain.Errorf(domain.Unavailable, "数据库不可用")
		}
		return nil
	}}
	r := audit.NewRecorder(st, audit.RecorderConfig{BatchSize: 5, FlushEvery: time.Millisecond, RetryMax: 2 * time.Millisecond, Logger: quiet})
	for i := range 5 {
		r.Record(context.Background(), read(i))
	}
	deadline := time.Now().Add(5 * time.Second)
	for r.Stats().Written < 5 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	closeOK(t, r)
	checkSequence(t, st.all(), 5)
	if s := r.Stats(); s.FailedFlushes != 2 || s.Written != 5 {
		t.Errorf("stats: got %+v; want 2 failed flushes and 5 written", s)
	}
}

// With the store stuck and the buffer full, Record waits about BlockFor and
// then drops, counting both; what was buffered is written once the store
// recovers.
func TestRecorderFullBufferBlocksThenDrops(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	st := &memStore{appendFn: func(context.Context, int) error {
		once.Do(func() { close(entered) })
		<-release
		return nil
	}}
	r := audit.NewRecorder(st, audit.RecorderConfig{Buffer: 4, BatchSize: 2, FlushEvery: time.Hour, BlockFor: 20 * time.Millisecond, Logger: quiet})
	ctx := context.Background()
	r.Record(ctx, read(0))
	r.Record(ctx, read(1)) // a full batch: the writer takes it and sticks in Append
	<-entered
	for i := 2; i < 6; i++ {
		r.Record(ctx, read(i)) // fills the buffer of 4
	}
	start := time.Now()
	r.Record(ctx, read(6))
	if waited := time.Since(start); waited < 20*time.Millisecond {
		t.Errorf("Record on a full buffer returned after %v; want it to wait BlockFor (20ms)", waited)
	}
	if s := r.Stats(); s.Blocked != 1 || s.Dropped != 1 || s.Pending != 4 {
		t.Errorf("stats while stuck: got %+v; want 1 blocked, 1 dropped, 4 pending", s)
	}
	close(release)
	closeOK(t, r)
	checkSequence(t, st.all(), 6)
	if s := r.Stats(); s.Recorded != 7 || s.Written != 6 || s.Dropped != 1 {
		t.Errorf("stats after close: got %+v; want 7 recorded, 6 written, 1 dropped", s)
	}
}

// A caller whose request is cancelled does not wait out BlockFor.
func TestRecorderFullBufferHonoursContext(t *testing.T) {
	entered, release := make(chan struct{}, 1), make(chan struct{})
	st := &memStore{appendFn: func(context.Context, int) error {
		entered <- struct{}{}
		<-release
		return nil
	}}
	r := audit.NewRecorder(st, audit.RecorderConfig{Buffer: 1, BatchSize: 1, FlushEvery: time.Hour, BlockFor: time.Hour, Logger: quiet})
	defer func() { close(release); closeOK(t, r) }()
	r.Record(context.Background(), read(0)) // taken by the writer, stuck in Append
	<-entered
	r.Record(context.Background(), read(1)) // fills the buffer
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	done := make(chan struct{})
	go func() { r.Record(ctx, read(2)); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Record on a full buffer ignored its cancelled context")
	}
	if s := r.Stats(); s.Dropped != 1 {
		t.Errorf("dropped: got %d; want 1", s.Dropped)
	}
}

func TestCloseReportsWhatItCouldNotWrite(t *testing.T) {
	down := errors.New("connection refused")
	st := &memStore{appendFn: func(context.Context, int) error { return down }}
	r := audit.NewRecorder(st, audit.RecorderConfig{FlushEvery: time.Hour, Logger: quiet})
	for i := range 3 {
		r.Record(context.Background(), read(i))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	err := r.Close(ctx)
	if domain.ErrorCode(err) != domain.Internal || !strings.Contains(err.Error(), "3 audit entries") {
		t.Errorf("Close: got %v; want Internal naming 3 unwritten entries", err)
	}
	if s := r.Stats(); s.Dropped != 3 || s.Written != 0 {
		t.Errorf("stats: got %+v; want 3 dropped, 0 written", s)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Errorf("second Close: got %v; want nil", err)
	}
}

func TestRecordAfterCloseIsCountedNotWritten(t *testing.T) {
	st := &memStore{}
	r := audit.NewRecorder(st, audit.RecorderConfig{Logger: quiet})
	closeOK(t, r)
	r.Record(context.Background(), read(0))
	if got := len(st.all()); got != 0 {
		t.Errorf("store has %d entries; want 0", got)
	}
	if s := r.Stats(); s.Dropped != 1 {
		t.Errorf("dropped: got %d; want 1", s.Dropped)
	}
}

func TestMalformedEntriesAreRejected(t *testing.T) {
	st := &memStore{}
	r := audit.NewRecorder(st, audit.RecorderConfig{Logger: quiet})
	noAction := read(0)
	noAction.Action = " "
	badKind := read(1)
	badKind.ActorKind = "robot"
	r.Record(context.Background(), noAction)
	r.Record(context.Background(), badKind)
	closeOK(t, r)
	if got := len(st.all()); got != 0 {
		t.Errorf("store has %d entries; want 0", got)
	}
	if s := r.Stats(); s.Rejected != 2 || s.Recorded != 0 {
		t.Errorf("stats: got %+v; want 2 rejected, 0 recorded", s)
	}
}

// Raw personal data passed by mistake never reaches the store, and
// oversized values are cut to what the columns hold.
func TestEntriesAreCleanedBeforeWriting(t *testing.T) {
	at := time.Date(2026, 5, 12, 9, 30, 0, 123456789, domain.Beijing)
	st := &memStore{}
	r := audit.NewRecorder(st, audit.RecorderConfig{Logger: quiet, Now: func() time.Time { return at }})
	e := read(0)
	e.ActorRef = "21060219900101104X"
	e.SubjectRef = "13812345678"
	e.Action = strings.Repeat("a", 100)
	e.Detail = map[string]string{"note": "手机 13812345678 身份证 21060219900101104X", "long": strings.Repeat("长", 200)}
	for i := range 20 {
		e.Detail[fmt.Sprintf("z%02d", i)] = "v" // sort after note and long, so they are the ones cut
	}
	r.Record(context.Background(), e)
	closeOK(t, r)
	got := st.all()[0]
	if got.ActorRef != "2106**********104X" || got.SubjectRef != "138****5678" {
		t.Errorf("refs: got %q, %q; want masked", got.ActorRef, got.SubjectRef)
	}
	if want := "手机 138****5678 身份证 2106**********104X"; got.Detail["note"] != want {
		t.Errorf("detail note: got %q; want %q", got.Detail["note"], want)
	}
	if len(got.Action) != audit.MaxActionLen || len(got.Detail) != audit.MaxDetailKeys {
		t.Errorf("action of %d bytes, %d detail keys; want %d and %d", len(got.Action), len(got.Detail), audit.MaxActionLen, audit.MaxDetailKeys)
	}
	if v, ok := got.Detail["long"]; ok && (len(v) > audit.MaxDetailLen || !strings.HasPrefix(v, "长")) {
		t.Errorf("long detail: %d bytes; want at most %d whole characters", len(v), audit.MaxDetailLen)
	}
	if !got.At.Equal(at.Truncate(time.Millisecond)) || got.Outcome != audit.OK {
		t.Errorf("defaults: got at %v outcome %q; want %v and %q", got.At, got.Outcome, at.Truncate(time.Millisecond), audit.OK)
	}
}

func TestOutcomeOf(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, "ok"},
		{domain.Errorf(domain.Forbidden, "无权查看"), "forbidden"},
		{fmt.Errorf("read: %w", domain.Errorf(domain.NotFound, "未找到")), "not_found"},
		{errors.New("boom"), "internal"},
	}
	for _, tt := range tests {
		if got := audit.OutcomeOf(tt.err); got != tt.want {
			t.Errorf("OutcomeOf(%v): got %q; want %q", tt.err, got, tt.want)
		}
	}
}

// Many handlers record at once; nothing is lost or duplicated.
func TestConcurrentRecord(t *testing.T) {
	st := &memStore{}
	r := audit.NewRecorder(st, audit.RecorderConfig{Buffer: 64, BatchSize: 32, FlushEvery: time.Millisecond, BlockFor: time.Second, Logger: quiet})
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				e := read(i)
				e.SubjectRef = fmt.Sprintf("w%d", w)
				r.Record(context.Background(), e)
			}
		})
	}
	wg.Wait()
	closeOK(t, r)
	perWorker := map[string][]audit.Entry{}
	for _, e := range st.all() {
		perWorker[e.SubjectRef] = append(perWorker[e.SubjectRef], e)
	}
	for w := range workers {
		checkSequence(t, perWorker[fmt.Sprintf("w%d", w)], each)
	}
	if s := r.Stats(); s.Dropped != 0 {
		t.Errorf("dropped %d; want 0", s.Dropped)
	}
}
