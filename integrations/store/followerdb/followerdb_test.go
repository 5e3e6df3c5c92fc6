package followerdb_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/follower"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/integrations/cache/cachetest"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/followerdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var at = time.Date(2026, 11, 29, 9, 30, 0, 123e6, domain.Beijing)

func binding(openID, person string) follower.BindingRecord {
	return follower.BindingRecord{OpenID: openID, PersonRef: person, SealedPerson: "k1:sealed-" + person,
		MaskedName: "张*", Method: follower.BySMS, BoundAt: at}
}

func relative(id, holder, person string) follower.RelativeRecord {
	return follower.RelativeRecord{ID: id, HolderRef: holder, PersonRef: person, SealedPerson: "k1:sealed-" + person,
		MaskedName: "李*", Relation: identity.Parent, VerifiedAt: at}
}

func TestBindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st, ctx := followerdb.New(db), context.Background()
		if err := st.Bind(ctx, binding("oA", "p1")); err != nil {
			t.Fatal(err)
		}
		got, err := st.Binding(ctx, "oA")
		if err != nil || got != binding("oA", "p1") {
			t.Fatalf("Binding(oA) = %+v, %v; want %+v", got, err, binding("oA", "p1"))
		}
		if err := st.Bind(ctx, binding("oA", "p1")); err != nil {
			t.Errorf("binding again to the same person: %v; want nil", err)
		}
		if err := st.Bind(ctx, binding("oA", "p2")); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("binding oA to another person: %v; want Conflict", err)
		}
		// The person moves to a new WeChat account: the old openid loses it.
		if err := st.Bind(ctx, binding("oB", "p1")); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Binding(ctx, "oA"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("old openid after the move: %v; want NotFound", err)
		}
		if got, err := st.BindingOf(ctx, "p1"); err != nil || got.OpenID != "oB" {
			t.Errorf("BindingOf(p1) = %q, %v; want oB", got.OpenID, err)
		}
	})
}

func TestUnbindTakesTheRelatives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st, ctx := followerdb.New(db), context.Background()
		if err := st.AddRelative(ctx, relative("RL1", "p1", "q1"), 8); !domain.IsCode(err, domain.Forbidden) {
			t.Errorf("relative of an unbound holder: %v; want Forbidden", err)
		}
		st.Bind(ctx, binding("oA", "p1"))
		st.Bind(ctx, binding("oC", "p3"))
		if err := st.AddRelative(ctx, relative("RL1", "p1", "q1"), 8); err != nil {
			t.Fatal(err)
		}
		if err := st.AddRelative(ctx, relative("RL3", "p3", "q1"), 8); err != nil {
			t.Fatal(err)
		}
		if err := st.AddRelative(ctx, relative("RL2", "p1", "q1"), 8); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("same relative twice: %v; want Conflict", err)
		}
		if _, err := st.Relative(ctx, "p3", "RL1"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("another holder's relative: %v; want NotFound", err)
		}
		found, err := st.Unbind(ctx, "oA")
		if err != nil || !found {
			t.Fatalf("Unbind(oA) = %v, %v; want true", found, err)
		}
		if rs, _ := st.Relatives(ctx, "p1"); len(rs) != 0 {
			t.Errorf("relatives after unbinding: %+v; want none", rs)
		}
		if rs, _ := st.Relatives(ctx, "p3"); len(rs) != 1 {
			t.Errorf("the other holder's relatives: %d; want 1 kept", len(rs))
		}
		if found, err := st.Unbind(ctx, "oA"); err != nil || found {
			t.Errorf("second Unbind = %v, %v; want false, nil", found, err)
		}
		if err := st.RemoveRelative(ctx, "p1", "RL3"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("removing another holder's relative: %v; want NotFound", err)
		}
	})
}

func TestRelativeCapHoldsUnderConcurrentAdds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		st, ctx := followerdb.New(db), context.Background()
		st.Bind(ctx, binding("oA", "p1"))
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() { st.AddRelative(ctx, relative(fmt.Sprintf("RL%d", i), "p1", fmt.Sprintf("q%d", i)), 3) })
		}
		wg.Wait()
		rs, err := st.Relatives(ctx, "p1")
		if err != nil || len(rs) != 3 {
			t.Errorf("after 6 concurrent adds with a cap of 3: %d relatives, %v; want 3", len(rs), err)
		}
	})
}

func TestSessions(t *testing.T) {
	rdb, prefix := cachetest.Redis(t)
	s, ctx := followerdb.NewSessions(rdb, prefix), context.Background()
	if err := s.Open(ctx, "h1", "oA", time.Minute); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Lookup(ctx, "h1"); err != nil || got != "oA" {
		t.Errorf("Lookup = %q, %v; want oA", got, err)
	}
	if ttl := rdb.PTTL(ctx, prefix+"wx:sess:h1").Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("session key TTL %v; want up to a minute", ttl)
	}
	s.Close(ctx, "h1")
	if _, err := s.Lookup(ctx, "h1"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("Lookup after Close: %v; want NotFound", err)
	}
}
