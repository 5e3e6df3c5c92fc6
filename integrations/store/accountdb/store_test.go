package accountdb_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/account"
	"github.com/dandong-hrss/hrss/domain/transfer"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/accountdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

var ctx = context.Background()

var t0 = time.Date(2026, 3, 2, 1, 2, 3, 4_000_000, time.UTC)

func operator(id, unit, name string) account.Operator {
	return account.Operator{ID: id, UnitRef: unit, SealedUnit: "k1:unit", Name: name, SealedPhone: "k1:phone",
		Role: account.Clerk, PasswordHash: "$argon2id$x", CreatedAt: t0, UpdatedAt: t0}
}

func TestOperatorsAndDevices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := accountdb.New(db)
		a := operator("OP1", "unitA", "张三")
		if err := s.CreateOperator(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateOperator(ctx, operator("OP2", "unitA", "张三")); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("same name in the same unit: got %v; want Conflict", err)
		}
		if err := s.CreateOperator(ctx, operator("OP3", "unitB", "张三")); err != nil {
			t.Errorf("same name in another unit: got %v; want it stored", err)
		}
		got, err := s.OperatorByName(ctx, "unitA", "张三")
		if err != nil || got != a {
			t.Errorf("by name: got %+v, %v; want %+v", got, err, a)
		}
		if _, err := s.OperatorByName(ctx, "unitA", "李四"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("unknown name: got %v; want NotFound", err)
		}
		a.Disabled, a.Role, a.PasswordHash, a.UpdatedAt = true, account.Admin, "$argon2id$y", t0.Add(time.Hour)
		if err := s.UpdateOperator(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateOperator(ctx, a); err != nil {
			t.Errorf("an update that changes nothing: got %v; want nil", err)
		}
		if got, _ := s.Operator(ctx, "OP1"); got != a {
			t.Errorf("after update: got %+v; want %+v", got, a)
		}
		if err := s.UpdateOperator(ctx, operator("OP9", "unitA", "王五")); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("update of a missing operator: got %v; want NotFound", err)
		}
		list, _ := s.Operators(ctx, "unitA")
		if len(list) != 1 || list[0].ID != "OP1" {
			t.Errorf("unit A's operators: got %+v; want OP1 only", list)
		}

		for _, at := range []time.Time{t0, t0.Add(time.Minute)} { // the second is a last-seen update
			if err := s.TrustDevice(ctx, "OP1", "dev1", at); err != nil {
				t.Fatal(err)
			}
		}
		if ok, _ := s.Trusted(ctx, "OP1", "dev1"); !ok {
			t.Error("dev1 should be trusted")
		}
		if ok, _ := s.Trusted(ctx, "OP3", "dev1"); ok {
			t.Error("a device trusted by one operator is not trusted by another")
		}
		if err := s.ForgetDevices(ctx, "OP1"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Trusted(ctx, "OP1", "dev1"); ok {
			t.Error("dev1 should be forgotten")
		}
	})
}

func TestBatchKeyFindsTheFirstBatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := accountdb.New(db)
		b := account.Batch{ID: "BT1", UnitRef: "unitA", OperatorID: "OP1", Kind: account.StaffAddBatch, IdempotencyKey: "k-1",
			FileDigest: "d1", Rows: 2, SealedRows: "k1:rows", CreatedAt: t0}
		if _, existing, err := s.StartBatch(ctx, b); err != nil || existing {
			t.Fatalf("first start: got existing %v, %v; want a new batch", existing, err)
		}
		again := b
		again.ID, again.FileDigest = "BT2", "d2"
		got, existing, err := s.StartBatch(ctx, again)
		if err != nil || !existing || got.ID != "BT1" || got.FileDigest != "d1" {
			t.Fatalf("same key: got %+v existing %v, %v; want BT1 with its digest", got, existing, err)
		}
		if err := s.FinishBatch(ctx, "BT1", []string{"AP1", "AP2"}, t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		got, err = s.Batch(ctx, "unitA", "BT1")
		if err != nil || !got.Filed || !slices.Equal(got.ApplicationIDs, []string{"AP1", "AP2"}) || got.SealedRows != "k1:rows" {
			t.Errorf("filed batch: got %+v, %v", got, err)
		}
		if _, err := s.Batch(ctx, "unitB", "BT1"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("another unit's batch: got %v; want NotFound", err)
		}
		list, _ := s.Batches(ctx, "unitA", 10)
		if len(list) != 1 || list[0].SealedRows != "" || len(list[0].ApplicationIDs) != 2 {
			t.Errorf("list: got %+v; want one batch without its rows", list)
		}
	})
}

func TestTransferIsTextedOncePerStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := accountdb.New(db)
		f := account.TransferFollow{ApplicationID: "AP1", UnitRef: "unitA", SealedUnit: "k1:u", OperatorID: "OP1",
			Direction: transfer.Out, Insurance: transfer.EnterprisePension, From: transfer.Region{Code: "210600", Name: "丹东市"},
			To: transfer.Region{Code: "210100", Name: "沈阳市"}, SealedPerson: "k1:p", Person: "张* 2106**********001X",
			CreatedAt: t0, UpdatedAt: t0}
		got, err := s.AddTransfer(ctx, f)
		if err != nil || got != f {
			t.Fatalf("add: got %+v, %v; want %+v", got, err, f)
		}
		if again, err := s.AddTransfer(ctx, f); err != nil || again != f {
			t.Errorf("add again: got %+v, %v; want the first", again, err)
		}
		if err := s.SawTransfer(ctx, "AP1", "ZY1", transfer.Accepted, t0.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		first, _ := s.MarkNotified(ctx, "AP1", "", transfer.Accepted)
		second, _ := s.MarkNotified(ctx, "AP1", "", transfer.Accepted)
		if !first || second {
			t.Errorf("two instances texting one status: got %v and %v; want only the first", first, second)
		}
		open, _ := s.OpenTransfers(ctx, 10)
		if len(open) != 1 || open[0].Number != "ZY1" || open[0].Notified != transfer.Accepted {
			t.Errorf("open transfers: got %+v", open)
		}
		_ = s.SawTransfer(ctx, "AP1", "ZY1", transfer.Completed, t0.Add(2*time.Second))
		if open, _ := s.OpenTransfers(ctx, 10); len(open) != 0 {
			t.Errorf("a completed transfer is not open: got %+v", open)
		}
		if _, err := s.Transfer(ctx, "unitB", "AP1"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("another unit's transfer: got %v; want NotFound", err)
		}
	})
}

func TestArgon2(t *testing.T) {
	h := accountdb.NewArgon2(accountdb.Argon2Params{Memory: 1024, Time: 1, Threads: 1})
	enc, err := h.Hash("Secret123")
	if err != nil {
		t.Fatal(err)
	}
	if other, _ := h.Hash("Secret123"); other == enc {
		t.Error("two hashes of one password should differ by their salt")
	}
	for _, c := range []struct {
		password string
		want     bool
	}{{"Secret123", true}, {"secret123", false}, {"", false}} {
		if ok, err := h.Verify(enc, c.password); ok != c.want || err != nil {
			t.Errorf("verify %q: got %v, %v; want %v", c.password, ok, err, c.want)
		}
	}
	// A stronger setting later still verifies old hashes: the parameters travel with the hash.
	if ok, _ := accountdb.NewArgon2(accountdb.DefaultArgon2).Verify(enc, "Secret123"); !ok {
		t.Error("a hash made with other parameters should verify")
	}
	for _, bad := range []string{"", "$2a$10$bcrypt", "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5"} {
		if _, err := h.Verify(bad, "Secret123"); !domain.IsCode(err, domain.Internal) {
			t.Errorf("verify against %q: got %v; want Internal", bad, err)
		}
	}
}
