package auditdb_test

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/auditdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var t0 = time.Date(2026, 5, 12, 9, 30, 15, 123_000_000, domain.Beijing)

// entry is a read of subject at t0 plus i seconds, numbered i.
func entry(subject string, i int) audit.Entry {
	return audit.Entry{
		At:         t0.Add(time.Duration(i) * time.Second),
		ActorKind:  audit.Staff,
		ActorRef:   "staff-0042",
		Channel:    domain.Counter,
		Action:     "insured.overview.read",
		Outcome:    audit.OK,
		SubjectRef: subject,
		RequestID:  "req-" + strconv.Itoa(i),
		Detail:     map[string]string{"seq": strconv.Itoa(i)},
	}
}

func TestAppendAndForSubject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := auditdb.New(db)
		var batch []audit.Entry
		for i := range 5 {
			batch = append(batch, entry("subject-a", i), entry("subject-b", i))
		}
		denied := entry("subject-a", 9)
		denied.Outcome, denied.Detail, denied.Channel = "forbidden", nil, ""
		batch = append(batch, denied)
		if err := s.Append(ctx, batch); err != nil {
			t.Fatalf("Append: %v", err)
		}

		got, err := s.ForSubject(ctx, "subject-a", 100)
		if err != nil {
			t.Fatalf("ForSubject: %v", err)
		}
		want := []audit.Entry{denied, entry("subject-a", 4), entry("subject-a", 3), entry("subject-a", 2), entry("subject-a", 1), entry("subject-a", 0)}
		if len(got) != len(want) {
			t.Fatalf("got %d entries; want %d", len(got), len(want))
		}
		for i := range want {
			if !sameEntry(got[i], want[i]) {
				t.Errorf("entry %d: got %+v; want %+v", i, got[i], want[i])
			}
		}
		if got, _ := s.ForSubject(ctx, "subject-a", 2); len(got) != 2 || got[0].Outcome != "forbidden" {
			t.Errorf("limit 2: got %d entries; want the newest 2", len(got))
		}
		if got, err := s.ForSubject(ctx, "nobody", 100); err != nil || len(got) != 0 {
			t.Errorf("unknown subject: got %d entries, %v; want none and no error", len(got), err)
		}
	})
}

// Entries of the same millisecond come back newest-written first.
func TestSameInstantKeepsWriteOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := auditdb.New(db)
		var batch []audit.Entry
		for i := range 4 {
			e := entry("subject", i)
			e.At = t0
			batch = append(batch, e)
		}
		if err := s.Append(context.Background(), batch[:2]); err != nil {
			t.Fatal(err)
		}
		if err := s.Append(context.Background(), batch[2:]); err != nil {
			t.Fatal(err)
		}
		got, err := s.ForSubject(context.Background(), "subject", 10)
		if err != nil {
			t.Fatal(err)
		}
		if seqs := seqOf(got); !slices.Equal(seqs, []string{"3", "2", "1", "0"}) {
			t.Errorf("order: got %v; want [3 2 1 0]", seqs)
		}
	})
}

// A batch larger than one statement holds is still written whole.
func TestAppendLargeBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := auditdb.New(db)
		batch := make([]audit.Entry, 1203)
		for i := range batch {
			batch[i] = entry("big", i)
		}
		if err := s.Append(context.Background(), batch); err != nil {
			t.Fatalf("Append: %v", err)
		}
		got, err := s.ForSubject(context.Background(), "big", 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1000 || got[0].Detail["seq"] != "1202" || got[999].Detail["seq"] != "203" {
			t.Errorf("got %d entries from seq %s to %s; want 1000 from 1202 to 203", len(got), got[0].Detail["seq"], got[len(got)-1].Detail["seq"])
		}
	})
}

// countingStore counts the statements the recorder causes: each Append of
// up to 500 entries is one INSERT.
type countingStore struct {
	*auditdb.Store
	appends atomic.Int64
}

func (c *countingStore) Append(ctx context.Context, entries []audit.Entry) error {
	c.appends.Add(1)
	return c.Store.Append(ctx, entries)
}

// The path a read takes in production: a handler records with the blind
// index of the citizen's ID number; an auditor later finds every entry by
// computing the same index, and the table holds no ID number.
func TestRecorderOnDatabase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sealer := smcrypto.Ephemeral()
		id, err := domain.ParseIDNumber("21060219900101104X")
		if err != nil {
			t.Fatal(err)
		}
		st := &countingStore{Store: auditdb.New(db)}
		rec := audit.NewRecorder(st, audit.RecorderConfig{})
		for i := range 100 {
			rec.Record(context.Background(), audit.Entry{
				ActorKind:  audit.Person,
				ActorRef:   privacy.IDIndex(sealer, id),
				Channel:    domain.Kiosk,
				Action:     "insured.overview.read",
				SubjectRef: privacy.IDIndex(sealer, id),
				Detail:     map[string]string{"seq": strconv.Itoa(i)},
			})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := rec.Close(ctx); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if n := st.appends.Load(); n > 3 {
			t.Errorf("100 entries took %d INSERTs; want at most 3", n)
		}
		got, err := st.ForSubject(ctx, privacy.IDIndex(sealer, id), 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 100 {
			t.Fatalf("found %d entries by the blind index; want 100", len(got))
		}
		for i, e := range got {
			if want := strconv.Itoa(99 - i); e.Detail["seq"] != want {
				t.Fatalf("entry %d: seq %s; want %s (newest first)", i, e.Detail["seq"], want)
			}
		}
		var leaks int
		if err := db.GetContext(ctx, &leaks, "SELECT COUNT(*) FROM audit_log WHERE actor_ref LIKE ? OR subject_ref LIKE ? OR detail LIKE ?",
			"%2106021990%", "%2106021990%", "%2106021990%"); err != nil {
			t.Fatal(err)
		}
		if leaks != 0 {
			t.Errorf("%d rows hold the ID number", leaks)
		}
	})
}

// The audit log cannot be edited through this server: the store offers
// exactly the two methods of the append-only port.
func TestStoreIsAppendOnly(t *testing.T) {
	typ := reflect.TypeFor[*auditdb.Store]()
	var names []string
	for m := range typ.Methods() {
		names = append(names, m.Name)
	}
	if want := []string{"Append", "ForSubject"}; !slices.Equal(names, want) {
		t.Errorf("methods: got %v; want only %v", names, want)
	}
}

func sameEntry(a, b audit.Entry) bool {
	return a.At.Equal(b.At) && a.ActorKind == b.ActorKind && a.ActorRef == b.ActorRef && a.Channel == b.Channel &&
		a.Action == b.Action && a.Outcome == b.Outcome && a.SubjectRef == b.SubjectRef && a.RequestID == b.RequestID &&
		reflect.DeepEqual(a.Detail, b.Detail)
}

func seqOf(entries []audit.Entry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Detail["seq"])
	}
	return out
}
