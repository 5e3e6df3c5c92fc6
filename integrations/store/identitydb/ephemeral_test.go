package identitydb_test

import (
	"context"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/store/identitydb"
)

func ephemeral(t *testing.T) *identitydb.Ephemeral {
	rdb, prefix := cachetest.Redis(t)
	return identitydb.NewEphemeral(rdb, prefix)
}

func issue(key, hash string) identity.CodeIssue {
	return identity.CodeIssue{Key: key, Hash: hash, TTL: time.Minute, Throttle: time.Minute,
		Day: "20260601", DayLeft: 5 * time.Hour, DailyMax: 3}
}

func TestCodeIsThrottledAndCapped(t *testing.T) {
	e := ephemeral(t)
	ctx := context.Background()
	if wait, err := e.Issue(ctx, issue("login:a", "h1")); err != nil || wait != 0 {
		t.Fatalf("first code: wait %v, %v; want stored", wait, err)
	}
	if wait, _ := e.Issue(ctx, issue("login:a", "h2")); wait <= 50*time.Second || wait > time.Minute {
		t.Errorf("second code at once: wait %v; want about a minute", wait)
	}
	if res, _ := e.Check(ctx, "login:a", "h1", 5); !res.Match {
		t.Errorf("the first code should still be the one stored: %+v", res)
	}
	noThrottle := func(hash string) identity.CodeIssue {
		c := issue("login:b", hash)
		c.Throttle = time.Millisecond
		return c
	}
	for i := range 3 {
		if wait, err := e.Issue(ctx, noThrottle("x")); err != nil || wait != 0 {
			t.Fatalf("code %d: wait %v, %v", i+1, wait, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	if wait, _ := e.Issue(ctx, noThrottle("x")); wait < 4*time.Hour {
		t.Errorf("fourth code of the day with a cap of 3: wait %v; want until the day ends (5h)", wait)
	}
}

func TestCodeTriesRunOut(t *testing.T) {
	e := ephemeral(t)
	ctx := context.Background()
	e.Issue(ctx, issue("login:c", "right"))
	for want := 2; want >= 0; want-- {
		res, err := e.Check(ctx, "login:c", "wrong", 3)
		if err != nil || res.Match || res.Missing || res.Left != want {
			t.Fatalf("wrong code: %+v, %v; want %d tries left", res, err, want)
		}
	}
	if res, _ := e.Check(ctx, "login:c", "right", 3); res.Match || !res.Missing {
		t.Errorf("right code after the tries ran out: %+v; want the code void", res)
	}
	e.Issue(ctx, issue("login:d", "right"))
	if res, _ := e.Check(ctx, "login:d", "right", 3); !res.Match {
		t.Errorf("right code: %+v; want a match", res)
	}
	if res, _ := e.Check(ctx, "login:d", "right", 3); !res.Missing {
		t.Errorf("right code again: %+v; want it consumed", res)
	}
	e.Issue(ctx, issue("login:e", "h"))
	e.Discard(ctx, "login:e")
	if wait, _ := e.Issue(ctx, issue("login:e", "h")); wait != 0 {
		t.Errorf("after Discard: wait %v; want no throttle", wait)
	}
}

func TestRefreshRotationAndReplay(t *testing.T) {
	e := ephemeral(t)
	ctx := context.Background()
	started := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	fam := identity.Family{ID: "SF1", AccountID: "AC1", StartedAt: started}
	if err := e.Start(ctx, fam, "t1", time.Hour); err != nil {
		t.Fatal(err)
	}
	got, outcome, err := e.Rotate(ctx, "SF1", "t1", "t2", time.Hour)
	if err != nil || outcome != identity.Rotated || got.AccountID != "AC1" || !got.StartedAt.Equal(started) {
		t.Fatalf("Rotate t1 = %+v, %v, %v; want rotated for AC1", got, outcome, err)
	}
	if _, outcome, _ := e.Rotate(ctx, "SF1", "nope", "t9", time.Hour); outcome != identity.Unknown {
		t.Errorf("unknown token: %v; want Unknown", outcome)
	}
	if _, outcome, _ := e.Rotate(ctx, "SF1", "t1", "t3", time.Hour); outcome != identity.Replayed {
		t.Errorf("t1 again: %v; want Replayed", outcome)
	}
	if _, outcome, _ := e.Rotate(ctx, "SF1", "t2", "t4", time.Hour); outcome != identity.Revoked {
		t.Errorf("t2 after the replay: %v; want the family revoked", outcome)
	}

	e.Start(ctx, identity.Family{ID: "SF2", AccountID: "AC1", StartedAt: started}, "u1", time.Hour)
	if err := e.Revoke(ctx, "SF2"); err != nil {
		t.Fatal(err)
	}
	if _, outcome, _ := e.Rotate(ctx, "SF2", "u1", "u2", time.Hour); outcome != identity.Revoked {
		t.Errorf("after logout: %v; want Revoked", outcome)
	}
}
