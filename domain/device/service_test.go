package device_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/device"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

// memStore is the registry in a map, counting reads so the cache can be
// observed.
type memStore struct {
	mu    sync.Mutex
	recs  map[string]device.Record
	reads int
}

func newMemStore() *memStore { return &memStore{recs: map[string]device.Record{}} }

func (m *memStore) Create(_ context.Context, r device.Record) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.recs[r.ID]; ok {
		return domain.Errorf(domain.Conflict, "该设备已存在")
	}
	m.recs[r.ID] = r
	return nil
}

func (m *memStore) Get(_ context.Context, id string) (device.Record, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reads++
	r, ok := m.recs[id]
	if !ok {
		return r, domain.Errorf(domain.NotFound, "未找到该设备")
	}
	return r, nil
}

func (m *memStore) List(context.Context) ([]device.Record, error) { return nil, nil }

func (m *memStore) SetStatus(_ context.Context, id string, s device.Status, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[id]
	if !ok {
		return domain.Errorf(domain.NotFound, "未找到该设备")
	}
	r.Status, r.UpdatedAt = s, at
	m.recs[id] = r
	return nil
}

func (m *memStore) readCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.reads
}

// board records what was published; fail makes Publish fail.
type board struct {
	published map[string]device.Status
	fail      error
}

func (b *board) Publish(_ context.Context, id string, s device.Status) error {
	if b.fail != nil {
		return b.fail
	}
	b.published[id] = s
	return nil
}

// reverseSealer "seals" by reversing with a prefix: enough to see that the
// store never holds the secret as given.
type reverseSealer struct{}

func (reverseSealer) Seal(p string) (string, error) { return "t:" + reverse(p), nil }
func (reverseSealer) Open(s string) (string, error) {
	if !strings.HasPrefix(s, "t:") {
		return "", domain.Errorf(domain.Internal, "无法读取")
	}
	return reverse(s[2:]), nil
}
func (reverseSealer) BlindIndex(k privacy.Kind, v string) string { return string(k) + v }

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

type fixture struct {
	svc   *device.Service
	store *memStore
	board *board
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: newMemStore(), board: &board{published: map[string]device.Status{}},
		now: time.Date(2026, 11, 29, 9, 0, 0, 0, domain.Beijing)}
	f.svc = device.NewService(device.Config{Store: f.store, Sealer: reverseSealer{}, Board: f.board,
		Now: func() time.Time { return f.now }})
	return f
}

const secret = "0123456789abcdef0123456789abcdef-kiosk"

func TestRegisterNamesEveryBadField(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		reg  device.Registration
		want map[string]string
	}{
		{"all wrong", device.Registration{ID: "Kiosk 1", Secret: "short"}, map[string]string{
			"id": "设备编号应为3到32位小写字母、数字或连字符，以字母或数字开头，如 kiosk-yb-001", "hall": "请填写设备所在的服务大厅",
			"location": "请填写设备在大厅中的位置", "secret": "设备密钥应为32到128位字母、数字或符号，不能含空格；留空则由系统生成"}},
		{"too long", device.Registration{ID: "-kiosk", Hall: strings.Repeat("厅", 65), Location: strings.Repeat("位", 129),
			Secret: strings.Repeat("a", 31) + " "}, map[string]string{
			"id": "设备编号应为3到32位小写字母、数字或连字符，以字母或数字开头，如 kiosk-yb-001", "hall": "服务大厅名称不能超过64个字",
			"location": "设备位置不能超过128个字", "secret": "设备密钥应为32到128位字母、数字或符号，不能含空格；留空则由系统生成"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.svc.Register(context.Background(), tt.reg)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.Invalid {
				t.Fatalf("got %v; want Invalid", err)
			}
			got := map[string]string{}
			for _, fe := range de.Fields {
				got[fe.Field] = fe.Message
			}
			for field, msg := range tt.want {
				if got[field] != msg {
					t.Errorf("field %s: got %q; want %q", field, got[field], msg)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("got fields %v; want exactly %v", got, tt.want)
			}
		})
	}
}

func TestRegisterSealsTheSecret(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d, got, err := f.svc.Register(ctx, device.Registration{ID: " kiosk-yb-001 ", Hall: "元宝区社保服务大厅", Location: "1号机", Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "kiosk-yb-001" || d.Status != device.Active || got != secret || !d.RegisteredAt.Equal(f.now) {
		t.Errorf("got %+v secret %q; want the trimmed id, active, the given secret", d, got)
	}
	if stored := f.store.recs["kiosk-yb-001"].SealedSecret; strings.Contains(stored, secret) {
		t.Errorf("store holds the secret as given: %q", stored)
	}
	cred, err := f.svc.Credentials(ctx, "kiosk-yb-001")
	if err != nil || string(cred.Secret) != secret {
		t.Errorf("Credentials: got %q, %v; want the secret", cred.Secret, err)
	}
	_, generated, err := f.svc.Register(ctx, device.Registration{ID: "kiosk-yb-002", Hall: "元宝区", Location: "2号机"})
	if err != nil || len(generated) != 64 {
		t.Errorf("generated secret: got %q, %v; want 64 hex characters", generated, err)
	}
	_, _, err = f.svc.Register(ctx, device.Registration{ID: "kiosk-yb-001", Hall: "x", Location: "y"})
	if de := (*domain.Error)(nil); !errors.As(err, &de) || de.Code != domain.Conflict || len(de.Fields) != 1 || de.Fields[0].Field != "id" {
		t.Errorf("duplicate: got %v; want Conflict on id", err)
	}
}

func TestDisableIsAnnouncedAndSeenAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.svc.Register(ctx, device.Registration{ID: "kiosk-yb-001", Hall: "元宝区", Location: "1号机", Secret: secret})
	if c, _ := f.svc.Credentials(ctx, "kiosk-yb-001"); c.Status != device.Active {
		t.Fatalf("got %s; want active", c.Status)
	}
	d, err := f.svc.Disable(ctx, "kiosk-yb-001")
	if err != nil || d.Status != device.Disabled || f.board.published["kiosk-yb-001"] != device.Disabled {
		t.Fatalf("Disable: got %+v, %v, board %v; want disabled and announced", d, err, f.board.published)
	}
	if c, _ := f.svc.Credentials(ctx, "kiosk-yb-001"); c.Status != device.Disabled {
		t.Errorf("Credentials after Disable: got %s; want disabled (this instance's cache forgotten)", c.Status)
	}
	if d, err := f.svc.Enable(ctx, "kiosk-yb-001"); err != nil || d.Status != device.Active || f.board.published["kiosk-yb-001"] != device.Active {
		t.Errorf("Enable: got %+v, %v; want active and announced", d, err)
	}
	if _, err := f.svc.Disable(ctx, "kiosk-nope"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("unknown device: got %v; want NotFound", err)
	}
}

func TestDisableThatCannotBeAnnouncedAsksForARetry(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.svc.Register(ctx, device.Registration{ID: "kiosk-yb-001", Hall: "元宝区", Location: "1号机", Secret: secret})
	f.board.fail = errors.New("redis down")
	_, err := f.svc.Disable(ctx, "kiosk-yb-001")
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.Unavailable || !strings.Contains(de.Message, "请再操作一次") {
		t.Fatalf("got %v; want Unavailable asking to repeat", err)
	}
	if f.store.recs["kiosk-yb-001"].Status != device.Disabled {
		t.Errorf("the database should hold the change even when the announcement failed")
	}
}

func TestCredentialsAreCached(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.svc.Register(ctx, device.Registration{ID: "kiosk-yb-001", Hall: "元宝区", Location: "1号机", Secret: secret})
	for range 3 {
		f.svc.Credentials(ctx, "kiosk-yb-001")
	}
	if n := f.store.readCount(); n != 1 {
		t.Errorf("3 look-ups read the store %d times; want 1", n)
	}
	f.now = f.now.Add(31 * time.Second)
	f.svc.Credentials(ctx, "kiosk-yb-001")
	if n := f.store.readCount(); n != 2 {
		t.Errorf("after 31s: %d reads; want 2 (cache expired)", n)
	}
	if _, err := f.svc.Credentials(ctx, "no such kiosk"); !domain.IsCode(err, domain.NotFound) || f.store.readCount() != 2 {
		t.Errorf("malformed id: got %v after %d reads; want NotFound without a read", err, f.store.readCount())
	}
	for range 2 {
		if _, err := f.svc.Credentials(ctx, "kiosk-new-001"); !domain.IsCode(err, domain.NotFound) {
			t.Fatalf("unknown id: got %v; want NotFound", err)
		}
	}
	if n := f.store.readCount(); n != 3 {
		t.Errorf("two misses: %d reads; want 3 (a miss is remembered)", n)
	}
	f.svc.Register(ctx, device.Registration{ID: "kiosk-new-001", Hall: "振兴区", Location: "1号机", Secret: secret})
	if _, err := f.svc.Credentials(ctx, "kiosk-new-001"); err != nil {
		t.Errorf("just registered: got %v; want found (the miss forgotten)", err)
	}
}

func TestSeedDemo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	n, err := f.svc.SeedDemo(ctx)
	if err != nil || n != len(device.DemoDevices) {
		t.Fatalf("first seed: got %d, %v; want %d", n, err, len(device.DemoDevices))
	}
	f.svc.Disable(ctx, "kiosk-yb-001")
	if n, err := f.svc.SeedDemo(ctx); err != nil || n != 0 {
		t.Errorf("second seed: got %d, %v; want 0", n, err)
	}
	c, err := f.svc.Credentials(ctx, "kiosk-yb-001")
	if err != nil || c.Status != device.Disabled || string(c.Secret) != device.DemoSecret || c.Hall != "元宝区社保服务大厅" {
		t.Errorf("got %+v, %v; want the demo device, still disabled, with the demo secret", c.Device, err)
	}
}
