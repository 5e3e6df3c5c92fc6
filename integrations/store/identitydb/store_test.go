package identitydb_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/identity"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/identitydb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var at = time.Date(2026, 6, 1, 9, 30, 0, 0, domain.Beijing)

func account(id, phone string) identity.AccountRecord {
	return identity.AccountRecord{ID: id, PhoneIndex: "ph-" + phone, SealedPhone: "k1:sealed-" + phone, CreatedAt: at}
}

func TestAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := identitydb.New(db)
		ctx := context.Background()
		if err := s.CreateAccount(ctx, account("AC1", "1")); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateAccount(ctx, account("AC2", "1")); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("second account for one phone: err = %v; want Conflict", err)
		}
		got, err := s.AccountByPhone(ctx, "ph-1")
		if err != nil || got.ID != "AC1" || got.PersonIndex != "" || !got.CreatedAt.Equal(at) {
			t.Fatalf("AccountByPhone = %+v, %v; want AC1 unbound created at %v", got, err, at)
		}
		if _, err := s.Account(ctx, "AC404"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("missing account: err = %v; want NotFound", err)
		}

		if err := s.BindPerson(ctx, "AC1", "id-A", "k1:sealed-A", "张*", at); err != nil {
			t.Fatal(err)
		}
		if err := s.BindPerson(ctx, "AC1", "id-A", "k1:sealed-A2", "张*", at); err != nil {
			t.Errorf("binding the same person again: %v; want no error", err)
		}
		if err := s.BindPerson(ctx, "AC1", "id-B", "k1:sealed-B", "李*", at); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("rebinding to another person: err = %v; want Conflict", err)
		}
		s.CreateAccount(ctx, account("AC3", "3"))
		err = s.BindPerson(ctx, "AC3", "id-A", "k1:sealed-A", "张*", at)
		if !domain.IsCode(err, domain.Conflict) || !strings.Contains(err.Error(), "已绑定其他手机号") {
			t.Errorf("binding a person bound elsewhere: err = %v; want Conflict naming the other phone", err)
		}
		got, _ = s.Account(ctx, "AC1")
		if got.PersonIndex != "id-A" || got.SealedPerson != "k1:sealed-A" || got.MaskedName != "张*" || !got.BoundAt.Equal(at) {
			t.Errorf("bound account = %+v; want bound to id-A at %v", got, at)
		}
	})
}

func relative(acct string, n int) identity.RelativeRecord {
	return identity.RelativeRecord{ID: fmt.Sprintf("RL%s-%d", acct, n), AccountID: acct, PersonIndex: fmt.Sprintf("rel-%d", n),
		SealedPerson: "k1:x", MaskedName: "王*", Relation: identity.Parent, VerifiedAt: at.Add(time.Duration(n) * time.Second)}
}

func TestRelatives(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := identitydb.New(db)
		ctx := context.Background()
		s.CreateAccount(ctx, account("AC1", "1"))
		s.CreateAccount(ctx, account("AC2", "2"))
		for n := range 3 {
			if err := s.AddRelative(ctx, relative("AC1", n), 3); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddRelative(ctx, relative("AC1", 9), 3); !domain.IsCode(err, domain.Rejected) {
			t.Errorf("fourth relative with max 3: err = %v; want Rejected", err)
		}
		dup := relative("AC1", 1)
		dup.ID = "RLdup"
		if err := s.AddRelative(ctx, dup, 8); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("same relative twice: err = %v; want Conflict", err)
		}
		list, err := s.Relatives(ctx, "AC1")
		if err != nil || len(list) != 3 || list[0].ID != "RLAC1-0" || list[2].Relation != identity.Parent {
			t.Fatalf("Relatives = %+v, %v; want 3 oldest first", list, err)
		}
		if _, err := s.Relative(ctx, "AC2", "RLAC1-0"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("another account's relative: err = %v; want NotFound", err)
		}
		if err := s.RemoveRelative(ctx, "AC2", "RLAC1-0"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("removing another account's relative: err = %v; want NotFound", err)
		}
		if err := s.RemoveRelative(ctx, "AC1", "RLAC1-0"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Relative(ctx, "AC1", "RLAC1-0"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("removed relative: err = %v; want NotFound", err)
		}
	})
}

// Concurrent registrations by one account never pass the cap together.
func TestRelativeCapHoldsUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := identitydb.New(db)
		ctx := context.Background()
		s.CreateAccount(ctx, account("AC1", "1"))
		var wg sync.WaitGroup
		for n := range 12 {
			wg.Go(func() { s.AddRelative(ctx, relative("AC1", n), 8) })
		}
		wg.Wait()
		if list, _ := s.Relatives(ctx, "AC1"); len(list) != 8 {
			t.Errorf("%d relatives after 12 concurrent adds; want 8", len(list))
		}
	})
}
