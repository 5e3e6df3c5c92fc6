package accountdb_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/smcrypto"
	"github.com/dandong-hrss/hrss/integrations/store/accountdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

// texter keeps the codes it was asked to send, as a phone would.
type texter struct {
	mu   sync.Mutex
	sent []string // "phone template code"
}

func (x *texter) Send(_ context.Context, p domain.Phone, template string, params map[string]string) (string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.sent = append(x.sent, p.Raw()+" "+template+" "+params["code"])
	return "m1", nil
}

func (x *texter) lastCode(t *testing.T) string {
	t.Helper()
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(x.sent) == 0 {
		t.Fatal("no SMS was sent")
	}
	f := strings.Fields(x.sent[len(x.sent)-1])
	return f[2]
}

const unitA = "91210600MA0Y00000" // + check char

type fixture struct {
	svc   *account.Service
	texts *texter
	unit  domain.CreditCode
	mini  *miniredis.Miniredis // set for tests that move time
}

func newService(t *testing.T) *fixture { return newServiceOn(t, nil) }

// newServiceOn runs on mini when given (time can be moved), on the real
// Redis otherwise.
func newServiceOn(t *testing.T, mini *miniredis.Miniredis) *fixture {
	t.Helper()
	var rdb redis.UniversalClient
	prefix := ""
	if mini != nil {
		rdb = redis.NewClient(&redis.Options{Addr: mini.Addr()})
		t.Cleanup(func() { rdb.Close() })
	} else {
		rdb, prefix = cachetest.Redis(t)
	}
	eph := accountdb.NewEphemeral(rdb, prefix)
	x := &texter{}
	svc, err := account.NewService(account.Config{Store: accountdb.New(storetest.SQLite(t)), Ephemeral: eph,
		Hasher: accountdb.NewArgon2(accountdb.Argon2Params{Memory: 1024, Time: 1, Threads: 1}), Sealer: smcrypto.Ephemeral(), Texter: x})
	if err != nil {
		t.Fatal(err)
	}
	code := domain.CreditCode(unitA + string(domain.CreditCodeCheckChar(unitA)))
	if _, err := svc.Seed(ctx, code, account.NewOperator{Name: "管理员", Phone: "13900000001", Role: account.Admin, Password: "Admin1234"}); err != nil {
		t.Fatal(err)
	}
	return &fixture{svc: svc, texts: x, unit: code, mini: mini}
}

func (f *fixture) login(name, password, device string) (account.LoginResult, error) {
	return f.svc.Login(ctx, account.Credentials{CreditCode: string(f.unit), Name: name, Password: password, DeviceID: device})
}

// signIn signs in on a new device through its SMS code.
func (f *fixture) signIn(t *testing.T, name, password, device string) account.Issued {
	t.Helper()
	res, err := f.login(name, password, device)
	if err != nil || res.Challenge == nil {
		t.Fatalf("login on a new device: got %+v, %v; want an SMS challenge", res, err)
	}
	issued, err := f.svc.VerifyCode(ctx, res.Challenge.ID, f.texts.lastCode(t), device)
	if err != nil {
		t.Fatal(err)
	}
	return issued
}

func TestNewDeviceNeedsTheSMSCodeThenIsTrusted(t *testing.T) {
	f := newService(t)
	res, err := f.login("管理员", "Admin1234", "browser-0001")
	if err != nil || res.Challenge == nil || res.Issued != nil {
		t.Fatalf("first login: got %+v, %v; want a challenge only", res, err)
	}
	if res.Challenge.Phone != "139****0001" {
		t.Errorf("challenge phone: got %q; want it masked", res.Challenge.Phone)
	}
	code := f.texts.lastCode(t)
	if _, err := f.svc.VerifyCode(ctx, res.Challenge.ID, code, "browser-9999"); !domain.IsCode(err, domain.Unauthenticated) {
		t.Errorf("the code from another device: got %v; want Unauthenticated", err)
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	if _, err := f.svc.VerifyCode(ctx, res.Challenge.ID, wrong, "browser-0001"); err == nil || !strings.Contains(err.Error(), "还可尝试4次") {
		t.Errorf("a wrong code: got %v; want Unauthenticated with 4 tries left", err)
	}
	issued, err := f.svc.VerifyCode(ctx, res.Challenge.ID, code, "browser-0001")
	if err != nil || issued.Token == "" || issued.Session.UnitCode != f.unit || issued.Session.Role != account.Admin {
		t.Fatalf("the right code: got %+v, %v; want a session of the unit's admin", issued, err)
	}
	if _, err := f.svc.VerifyCode(ctx, res.Challenge.ID, code, "browser-0001"); !domain.IsCode(err, domain.Unauthenticated) {
		t.Errorf("a used code: got %v; want Unauthenticated", err)
	}
	again, err := f.login("管理员", "Admin1234", "browser-0001")
	if err != nil || again.Issued == nil {
		t.Errorf("second login on the trusted device: got %+v, %v; want a session without SMS", again, err)
	}
	s, err := f.svc.Authenticate(ctx, issued.Token)
	if err != nil || s.OperatorID != issued.Session.OperatorID {
		t.Errorf("authenticate: got %+v, %v", s, err)
	}
	_ = f.svc.Logout(ctx, issued.Token)
	if _, err := f.svc.Authenticate(ctx, issued.Token); !domain.IsCode(err, domain.Unauthenticated) {
		t.Errorf("after logout: got %v; want Unauthenticated", err)
	}
}

func TestFiveWrongCodesVoidTheChallenge(t *testing.T) {
	f := newService(t)
	res, _ := f.login("管理员", "Admin1234", "browser-0001")
	code := f.texts.lastCode(t)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for range account.MaxCodeTries {
		_, _ = f.svc.VerifyCode(ctx, res.Challenge.ID, wrong, "browser-0001")
	}
	if _, err := f.svc.VerifyCode(ctx, res.Challenge.ID, code, "browser-0001"); !domain.IsCode(err, domain.Unauthenticated) {
		t.Errorf("the right code after five wrong ones: got %v; want Unauthenticated", err)
	}
	if _, err := f.login("管理员", "Admin1234", "browser-0001"); !domain.IsCode(err, domain.RateLimited) {
		t.Errorf("a new code within a minute: got %v; want RateLimited", err)
	}
}

func TestLockOutAfterFiveWrongPasswords(t *testing.T) {
	f := newService(t)
	admin := f.signIn(t, "管理员", "Admin1234", "browser-0001").Session
	for i := 1; i <= account.MaxFailures; i++ {
		_, err := f.login("管理员", "Wrong1234", "browser-0001")
		want := domain.Unauthenticated
		if i == account.MaxFailures {
			want = domain.RateLimited
		}
		if !domain.IsCode(err, want) {
			t.Fatalf("wrong password %d: got %v; want %s", i, err, want)
		}
	}
	if _, err := f.login("管理员", "Admin1234", "browser-0001"); !domain.IsCode(err, domain.RateLimited) {
		t.Errorf("the right password while locked: got %v; want RateLimited", err)
	}
	if _, err := f.login("无此人", "Admin1234", "browser-0001"); !domain.IsCode(err, domain.Unauthenticated) ||
		!strings.Contains(err.Error(), "经办人姓名或密码不正确") {
		t.Errorf("an unknown name: got %v; want the same answer as a wrong password", err)
	}
	if _, err := f.svc.Unlock(ctx, admin, admin.OperatorID); err != nil { // or wait LockFor
		t.Fatal(err)
	}
	if res, err := f.login("管理员", "Admin1234", "browser-0001"); err != nil || res.Issued == nil {
		t.Errorf("after the lock: got %+v, %v; want a session", res, err)
	}
}

func TestOnlyAnAdminManagesAndOnlyItsOwnUnit(t *testing.T) {
	f := newServiceOn(t, cachetest.Mini(t))
	admin := f.signIn(t, "管理员", "Admin1234", "browser-0001").Session
	clerk, err := f.svc.AddOperator(ctx, admin, account.NewOperator{Name: "经办员甲", Phone: "13900000002", Role: account.Clerk, Password: "Clerk1234"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AddOperator(ctx, admin, account.NewOperator{Name: "经办员甲", Phone: "13900000003", Role: account.Clerk, Password: "Clerk1234"}); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("a second operator of the same name: got %v; want Conflict", err)
	}
	if _, err := f.svc.AddOperator(ctx, admin, account.NewOperator{Name: "乙", Phone: "123", Role: "boss", Password: "short"}); !domain.IsCode(err, domain.Invalid) {
		t.Errorf("a bad operator: got %v; want Invalid", err)
	} else if n := len(err.(*domain.Error).Fields); n != 4 {
		t.Errorf("a bad operator: got %d field errors; want 4 (name, phone, role, password)", n)
	}
	cs := f.signIn(t, "经办员甲", "Clerk1234", "browser-0002").Session
	if _, err := f.svc.Operators(ctx, cs); !domain.IsCode(err, domain.Forbidden) {
		t.Errorf("a clerk listing operators: got %v; want Forbidden", err)
	}
	other := admin
	other.UnitRef = "another-unit"
	if _, err := f.svc.SetDisabled(ctx, other, clerk.ID, true); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("another unit's admin: got %v; want NotFound", err)
	}
	if _, err := f.svc.SetDisabled(ctx, admin, admin.OperatorID, true); !domain.IsCode(err, domain.Forbidden) {
		t.Errorf("disabling oneself: got %v; want Forbidden", err)
	}
	if _, err := f.svc.ResetPassword(ctx, admin, clerk.ID, "NewPass123"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(ctx, "x"); !domain.IsCode(err, domain.Unauthenticated) {
		t.Errorf("unknown token: got %v", err)
	}
	f.mini.FastForward(account.CodeEvery) // the next code may go a minute after the last
	res, err := f.login("经办员甲", "NewPass123", "browser-0002")
	if err != nil || res.Challenge == nil {
		t.Errorf("after a reset the device must pass an SMS code again: got %+v, %v", res, err)
	}
	if _, err := f.svc.SetDisabled(ctx, admin, clerk.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.login("经办员甲", "NewPass123", "browser-0002"); !domain.IsCode(err, domain.Forbidden) {
		t.Errorf("a disabled operator: got %v; want Forbidden", err)
	}
}

func TestSessionSlides(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	eph := accountdb.NewEphemeral(rdb, prefix)
	s := account.Session{OperatorID: "OP1", UnitCode: "X"}
	if err := eph.PutSession(ctx, "h1", s, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := eph.Session(ctx, "h1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.TTL(ctx, prefix+"ent:sess:h1").Val(); ttl < 50*time.Second {
		t.Errorf("TTL after use: got %v; want it extended to a minute", ttl)
	}
	if err := eph.DeleteSessionsOf(ctx, "OP1"); err != nil {
		t.Fatal(err)
	}
	if _, err := eph.Session(ctx, "h1", time.Minute); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("after ending the operator's sessions: got %v; want NotFound", err)
	}
	if _, err := eph.MissPending(ctx, "gone"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("a guess at an expired challenge: got %v; want NotFound", err)
	}
	if n := rdb.Exists(ctx, prefix+"ent:code:gone").Val(); n != 0 {
		t.Error("a guess must not recreate an expired challenge")
	}
}
