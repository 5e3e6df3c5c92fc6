package kiosk_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/redis/go-redis/v9"
)

// miniEnv is an instance on an in-process Redis whose clock the test moves
// together with the kiosks' and the server's.
func miniEnv(t *testing.T) (*env, *miniredis.Miniredis) {
	t.Helper()
	m := cachetest.Mini(t)
	rdb := redis.NewClient(&redis.Options{Addr: m.Addr()})
	t.Cleanup(func() { rdb.Close() })
	return newEnv(t, newInfra(t, rdb)), m
}

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	e, m := miniEnv(t)
	k := e.kiosk(t, "kiosk-yb-001")
	k.openPerson("在职")
	wait := func(d time.Duration) { e.clock.Add(d); m.FastForward(d) }

	wait(119 * time.Second)
	if r := k.do(http.MethodGet, "/kiosk/v1/person/overview", nil); r.status != 200 {
		t.Fatalf("after 1m59s idle: got %d %s; want 200", r.status, r.body)
	}
	wait(119 * time.Second) // the read above restarted the idle clock
	if r := k.do(http.MethodGet, "/kiosk/v1/session", nil); r.status != 200 {
		t.Fatalf("1m59s after the last read: got %d %s; want 200", r.status, r.body)
	}
	wait(121 * time.Second)
	p := problem(t, k.do(http.MethodGet, "/kiosk/v1/person/overview", nil), 401, domain.Unauthenticated)
	if p.Detail != "读卡会话已结束，请重新插卡" {
		t.Errorf("after 2m01s idle: got %q", p.Detail)
	}
}

// However busy the holder, a session ends 10 minutes after it opened.
func TestHardLimit(t *testing.T) {
	t.Parallel()
	e, m := miniEnv(t)
	k := e.kiosk(t, "kiosk-yb-001")
	k.openPerson("退休")
	for i := range 6 {
		e.clock.Add(90 * time.Second)
		m.FastForward(90 * time.Second)
		if r := k.do(http.MethodGet, "/kiosk/v1/pension/account", nil); r.status != 200 {
			t.Fatalf("read %d, %v after opening: got %d %s; want 200", i+1, time.Duration(i+1)*90*time.Second, r.status, r.body)
		}
	}
	e.clock.Add(61 * time.Second) // 10m01s after opening, 61s after the last read
	m.FastForward(61 * time.Second)
	p := problem(t, k.do(http.MethodGet, "/kiosk/v1/pension/account", nil), 401, domain.Unauthenticated)
	if p.Detail != "单次查询已满10分钟，请取卡后重新插卡" {
		t.Errorf("at 10m01s: got %q", p.Detail)
	}
	if r := k.do(http.MethodGet, "/kiosk/v1/session", nil); r.status != 401 {
		t.Errorf("the ended session must stay ended: got %d", r.status)
	}
	k.openPerson("退休") // a new card starts a new ten minutes
}
