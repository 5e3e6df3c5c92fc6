package documentdb_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/document"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/store"
	"github.com/dandong-hrss/hrss/integrations/store/documentdb"
	"github.com/dandong-hrss/hrss/integrations/store/storetest"
)

const rawID = "21060219900101104X"

func TestStore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := documentdb.New(db)
		svc, err := document.New(document.Config{Store: s, Renderer: nopRenderer{}, Sealer: hashSealer{},
			VerifyBaseURL: "https://rs.dandong.example"})
		if err != nil {
			t.Fatal(err)
		}
		p, err := svc.Issue(ctx, document.Document{
			Kind: document.BenefitSlip, Subject: document.Subject{Name: "赵一二", ID: rawID}, PageSize: document.Receipt80mm,
			Issuer: document.Issuer{Channel: domain.Kiosk, DeviceID: "KIOSK-0003"},
			Sections: []document.Section{{Heading: "养老待遇", Rows: []document.Row{{Label: "月发放金额", Value: "3,216.50元"}},
				Table: &document.Table{Columns: []string{"月份", "金额"}, Rows: [][]string{{"2026-10", "3,216.50"}}}}},
			RequestedBy: document.Actor{Kind: audit.Person, Ref: "idx-1"}, RequestID: "req-42",
		})
		if err != nil {
			t.Fatalf("Issue: %v", err)
		}

		r, err := svc.Verify(ctx, p.Serial)
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if !r.Intact() {
			t.Errorf("record read back: got not intact; want its content to hash to the digest %s", p.Digest)
		}
		if r.Serial != p.Serial || r.Kind != document.BenefitSlip || r.Title != "待遇信息单" || r.Subject != "赵** 2106**********104X" ||
			r.RequestedBy != (document.Actor{Kind: audit.Person, Ref: "idx-1"}) || r.Channel != domain.Kiosk ||
			r.DeviceID != "KIOSK-0003" || r.PageSize != document.Receipt80mm || !r.IssuedAt.Equal(p.IssuedAt) ||
			r.RequestID != "req-42" || r.SubjectRef != (hashSealer{}).BlindIndex(privacy.KindIDNumber, rawID) {
			t.Errorf("record read back: got %+v", r)
		}
		if got := r.Content.Sections[0].Table.Rows[0][1]; got != "3,216.50" {
			t.Errorf("table cell: got %q; want 3,216.50", got)
		}

		// Nothing in the table holds the raw ID number or name.
		var dump []string
		rows, err := db.QueryxContext(ctx, `SELECT * FROM document_print`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			cols, _ := rows.SliceScan()
			dump = append(dump, fmt.Sprint(cols...))
			for _, c := range cols {
				if b, ok := c.([]byte); ok {
					dump = append(dump, string(b))
				}
			}
		}
		rows.Close()
		for _, raw := range []string{rawID, "赵一二"} {
			if all := strings.Join(dump, " "); strings.Contains(all, raw) {
				t.Errorf("document_print holds %q raw", raw)
			}
		}

		// A serial is recorded once.
		if err := s.Save(ctx, r); !domain.IsCode(err, domain.Conflict) {
			t.Errorf("second Save of %s: got %v; want Conflict", r.Serial, err)
		}
		if _, err := s.Record(ctx, "DDRS20261129ZZZZZZZZ"); !domain.IsCode(err, domain.NotFound) {
			t.Errorf("unknown serial: got %v; want NotFound", err)
		}
	})
}

func TestRecordRoundTripsEveryField(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s := documentdb.New(db)
		c := document.Content{Serial: "DDRS20261129ABCDEFGH", Kind: document.AcceptanceReceipt, Title: "受理回执",
			Subject:  []document.Row{{Label: "单位名称", Value: "丹东市某某有限公司"}},
			Sections: []document.Section{{Heading: "材料清单", Rows: []document.Row{{Label: "1", Value: "身份证复印件"}}}},
			IssuedAt: "2026-11-29T09:30:05+08:00", PageSize: document.A4,
			IssuedBy: document.IssuedBy{Authority: document.DefaultAuthority, Office: document.DefaultOffice, Channel: domain.Enterprise}}
		want := document.Record{Serial: c.Serial, Kind: c.Kind, Title: c.Title, Subject: "丹东市某某有限公司", SubjectRef: "u-idx",
			RequestedBy: document.Actor{Kind: audit.UnitOperator, Ref: "op-9"}, Channel: domain.Enterprise, PageSize: document.A4,
			IssuedAt: time.Date(2026, 11, 29, 1, 30, 5, 123e6, time.UTC), Digest: c.Digest(), Content: c}
		if err := s.Save(context.Background(), want); err != nil {
			t.Fatal(err)
		}
		got, err := s.Record(context.Background(), c.Serial)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
	})
}

type nopRenderer struct{}

func (nopRenderer) Render(context.Context, document.Sheet) ([]byte, error) {
	return []byte("%PDF"), nil
}

type hashSealer struct{}

func (hashSealer) Seal(p string) (string, error) { return p, nil }
func (hashSealer) Open(s string) (string, error) { return s, nil }
func (hashSealer) BlindIndex(k privacy.Kind, v string) string {
	sum := sha256.Sum256([]byte(string(k) + ":" + v))
	return hex.EncodeToString(sum[:16])
}
