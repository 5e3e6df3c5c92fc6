package certification_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/ecard"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// memStore is an honest in-memory Store: the same versioning, conflicts
// and ordering as the database stores, without the database.
type memStore struct {
	mu        sync.Mutex
	cycles    map[string]certification.Cycle
	events    []storedEvent
	reminders map[string]time.Time // cycleID/kind → sent
}

type storedEvent struct {
	certification.Event
	forwarded bool
}

func newMemStore() *memStore {
	return &memStore{cycles: map[string]certification.Cycle{}, reminders: map[string]time.Time{}}
}

var _ certification.Store = (*memStore)(nil)

func copyCycle(c certification.Cycle) certification.Cycle {
	if c.Certification != nil {
		cert := *c.Certification
		c.Certification = &cert
	}
	c.NextDueOn = time.Time{}
	return c
}

func (m *memStore) Latest(_ context.Context, ref string) (certification.Cycle, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var best *certification.Cycle
	for _, c := range m.cycles {
		if c.PersonRef == ref && (best == nil || c.Seq > best.Seq) {
			best = &c
		}
	}
	if best == nil {
		return certification.Cycle{}, domain.Errorf(domain.NotFound, "未找到认证记录")
	}
	return copyCycle(*best), nil
}

func (m *memStore) Cycle(_ context.Context, id string) (certification.Cycle, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.cycles[id]
	if !ok {
		return c, domain.Errorf(domain.NotFound, "未找到认证记录")
	}
	return copyCycle(c), nil
}

func (m *memStore) insertLocked(c certification.Cycle) error {
	for _, o := range m.cycles {
		if o.PersonRef == c.PersonRef && o.Seq == c.Seq {
			return domain.Errorf(domain.Conflict, "该认证周期已存在")
		}
	}
	m.cycles[c.ID] = copyCycle(c)
	return nil
}

func (m *memStore) Insert(_ context.Context, c certification.Cycle) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.insertLocked(c)
}

func (m *memStore) Open(_ context.Context, prev, next certification.Cycle) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.cycles[prev.ID]
	if !ok || p.Version != prev.Version {
		return domain.Errorf(domain.Conflict, "该认证周期已变化")
	}
	if err := m.insertLocked(next); err != nil {
		return err
	}
	p.NextCheck, p.Version = time.Time{}, p.Version+1
	m.cycles[p.ID] = p
	return nil
}

func (m *memStore) Update(_ context.Context, c certification.Cycle, events []certification.Event) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.cycles[c.ID]
	if !ok || p.Version != c.Version {
		return false, nil
	}
	c.Version++
	m.cycles[c.ID] = copyCycle(c)
	for _, e := range events {
		m.events = append(m.events, storedEvent{Event: e})
	}
	return true, nil
}

func (m *memStore) DueChecks(_ context.Context, now time.Time, after certification.CheckCursor, limit int) ([]certification.Cycle, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []certification.Cycle
	for _, c := range m.cycles {
		if c.NextCheck.IsZero() || c.NextCheck.After(now) {
			continue
		}
		if !after.At.IsZero() && (c.NextCheck.Before(after.At) || c.NextCheck.Equal(after.At) && c.ID <= after.ID) {
			continue
		}
		out = append(out, copyCycle(c))
	}
	slices.SortFunc(out, func(a, b certification.Cycle) int {
		return cmp.Or(a.NextCheck.Compare(b.NextCheck), cmp.Compare(a.ID, b.ID))
	})
	return out[:min(limit, len(out))], nil
}

func (m *memStore) ClaimReminder(_ context.Context, id string, kind certification.ReminderKind, at time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	key := id + "/" + string(kind)
	if _, ok := m.reminders[key]; ok {
		return false, nil
	}
	m.reminders[key] = at
	return true, nil
}

func (m *memStore) ReleaseReminder(_ context.Context, id string, kind certification.ReminderKind) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.reminders, id+"/"+string(kind))
	return nil
}

func (m *memStore) Unforwarded(_ context.Context, id string) ([]certification.Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []certification.Event
	for _, e := range m.events {
		if e.CycleID == id && !e.forwarded {
			out = append(out, e.Event)
		}
	}
	return out, nil
}

func (m *memStore) RetryDue(_ context.Context, now time.Time, limit int) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, e := range m.events {
		if !e.forwarded && !e.NextAttempt.After(now) && !slices.Contains(out, e.CycleID) {
			out = append(out, e.CycleID)
		}
	}
	return out[:min(limit, len(out))], nil
}

func (m *memStore) Forwarded(_ context.Context, id string, _ time.Time) error {
	return m.setEvent(id, func(e *storedEvent) { e.forwarded = true; e.Attempts++ })
}

func (m *memStore) ForwardFailed(_ context.Context, id string, retry time.Time, _ string) error {
	return m.setEvent(id, func(e *storedEvent) { e.NextAttempt = retry; e.Attempts++ })
}

func (m *memStore) setEvent(id string, f func(*storedEvent)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range m.events {
		if m.events[i].ID == id {
			f(&m.events[i])
			return nil
		}
	}
	return domain.Errorf(domain.NotFound, "未找到该事件")
}

// clock is a settable time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// at is a moment of a Beijing date, 10 o'clock in the morning.
func at(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, domain.Beijing) }

// date is midnight of a Beijing date.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, domain.Beijing)
}

// personID returns the i-th synthetic Dandong citizen, with a valid check digit.
func personID(i int) domain.IDNumber {
	first17 := fmt.Sprintf("21060219500101%03d", i%1000)
	return domain.IDNumber(first17 + string(domain.IDCheckDigit(first17)))
}

// faces hands out face-check tokens and redeems each once, as the e-card
// platform does.
type faces struct {
	mu       sync.Mutex
	results  map[string]ecard.FaceResult
	redeemed int
}

func (f *faces) token(person domain.IDNumber, passed bool, when time.Time) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.results == nil {
		f.results = map[string]ecard.FaceResult{}
	}
	tok := fmt.Sprintf("face-%d", len(f.results)+1+f.redeemed)
	f.results[tok] = ecard.FaceResult{Person: person, Passed: passed, At: when}
	return tok
}

func (f *faces) VerifyFace(_ context.Context, token string) (ecard.FaceResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.results[token]
	if !ok {
		return r, domain.Errorf(domain.Rejected, "人脸识别结果已失效，请重新识别")
	}
	delete(f.results, token)
	f.redeemed++
	return r, nil
}

// recorder collects what was forwarded and reminded; fail makes the next
// calls fail.
type recorder struct {
	mu        sync.Mutex
	notices   []certification.Notice
	reminders []certification.Reminder
	failFwd   bool
	failRem   bool
}

func (r *recorder) Forward(_ context.Context, n certification.Notice) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failFwd {
		return domain.Errorf(domain.Unavailable, "综合柜员制平台暂时无法访问")
	}
	r.notices = append(r.notices, n)
	return nil
}

func (r *recorder) Remind(_ context.Context, m certification.Reminder) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failRem {
		return domain.Errorf(domain.Unavailable, "短信平台暂时无法访问")
	}
	r.reminders = append(r.reminders, m)
	return nil
}

func (r *recorder) kinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, n := range r.notices {
		out = append(out, string(n.Kind))
	}
	return out
}

func (r *recorder) reminderKinds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.reminders {
		out = append(out, string(m.Kind))
	}
	return out
}

// testRules: due a year after the last certification, open 60 days
// before, 10 days' grace, suspension after 20 days overdue.
func testRules() certification.Rules {
	return certification.Rules{IntervalMonths: 12, OpenDays: 60, GraceDays: 10, SuspendAfterDays: 20, RemindDays: []int{30, 7}}
}

// lastCertified is when the core last certified the pensioners of env: the
// next cycle is due 2026-03-15, overdue from 2026-03-26, suspended from
// 2026-04-15.
var lastCertified = at(2025, time.March, 15)

// env is a Service over a memStore with fakes around it.
type env struct {
	svc    *certification.Service
	store  certification.Store
	clock  *clock
	faces  *faces
	out    *recorder
	people map[domain.IDNumber]certification.Pensioner
}

// testSealer encodes instead of encrypting: enough for the service's own
// rules (the real cipher is tested in integrations/smcrypto), and still no
// readable ID number in a sealed column.
type testSealer struct{}

func (testSealer) Seal(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	return "t1:" + base64.RawURLEncoding.EncodeToString([]byte(p)), nil
}

func (testSealer) Open(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(s, "t1:"))
	if err != nil {
		return "", domain.Wrap(err, domain.Internal, "无法读取")
	}
	return string(b), nil
}

func (testSealer) BlindIndex(k privacy.Kind, v string) string {
	sum := sha256.Sum256([]byte(string(k) + "/" + v))
	return hex.EncodeToString(sum[:16])
}

var sealer privacy.Sealer = testSealer{}

func newEnv(t testing.TB, st certification.Store) *env {
	t.Helper()
	e := &env{store: st, clock: &clock{t: at(2026, time.February, 1)}, faces: &faces{}, out: &recorder{},
		people: map[domain.IDNumber]certification.Pensioner{}}
	for i := 1; i <= 5; i++ {
		e.people[personID(i)] = certification.Pensioner{Name: "王秀英", Retired: true, RetiredOn: at(2010, time.June, 1), LastCertified: lastCertified}
	}
	e.people[personID(9)] = certification.Pensioner{Name: "李建国"} // insured, not retired
	pensioners := certification.PensionersFunc(func(_ context.Context, id domain.IDNumber) (certification.Pensioner, error) {
		p, ok := e.people[id]
		if !ok {
			return p, domain.Errorf(domain.NotFound, "未找到该人员")
		}
		return p, nil
	})
	svc, err := certification.NewService(certification.Config{Store: st, Pensioners: pensioners, Faces: e.faces,
		Forwarder: e.out, Reminders: e.out, Sealer: sealer, Rules: testRules(), Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e
}

// selfFace certifies person by a passed app face check of their own.
func (e *env) selfFace(t testing.TB, person domain.IDNumber) certification.Cycle {
	t.Helper()
	tok := e.faces.token(person, true, e.clock.Now())
	c, err := e.svc.Certify(context.Background(), person, certification.AppFace, certification.Actor{Kind: certification.Self}, tok)
	if err != nil {
		t.Fatalf("Certify: %v", err)
	}
	return c
}

func (e *env) sweep(t testing.TB, now time.Time) certification.SweepReport {
	t.Helper()
	e.clock.Set(now)
	rep, err := e.svc.Sweep(context.Background(), now)
	if err != nil {
		t.Fatalf("Sweep: %v", err)
	}
	return rep
}

func (e *env) status(t testing.TB, person domain.IDNumber) certification.Cycle {
	t.Helper()
	c, err := e.svc.Status(context.Background(), person)
	if err != nil {
		t.Fatalf("Status: %v", err)
	}
	return c
}
