package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
	"github.com/dandong-hrss/hrss/domain/privacy"
)

type auditSearchJSON struct {
	Subject, SubjectKind string
	Entries              []struct {
		ActorKind, ActorKindName, ActorRef, Action, Outcome, ChannelName string
		BySubject                                                        bool
	}
}

func TestAuditSearch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raw := idNumber("21060219850315002")
	ref := privacy.IDIndex(e.sealer, domain.IDNumber(raw))
	// The person read their own record at a kiosk, as the kiosk channel audits it.
	e.audit.Record(context.Background(), audit.Entry{ActorKind: audit.Person, ActorRef: ref, Channel: domain.Kiosk,
		Action: "insured.overview.read", SubjectRef: ref, Detail: map[string]string{"device": "kiosk-yb-001"}})
	e.auditRows(t, 1)

	var got auditSearchJSON
	first := e.do(t, "POST", "/admin/v1/audit/search", adminToken, map[string]any{"idNumber": raw}).want(t, 200)
	first.decode(t, &got)
	if got.Subject != raw[:4]+"**********"+raw[14:] || got.SubjectKind != "person" {
		t.Errorf("subject: got %q %q; want the masked ID number of a person", got.Subject, got.SubjectKind)
	}
	if len(got.Entries) != 1 || got.Entries[0].Action != "insured.overview.read" || !got.Entries[0].BySubject ||
		got.Entries[0].ChannelName != "自助一体机" {
		t.Fatalf("entries: got %+v; want the kiosk read, by the person themselves", got.Entries)
	}
	if strings.Contains(string(first.body), raw) {
		t.Errorf("the answer holds the raw ID number: %s", first.body)
	}

	// The search itself is in the person's log now, by the staff member.
	e.auditRows(t, 2)
	e.do(t, "POST", "/admin/v1/audit/search", adminToken, map[string]any{"idNumber": raw, "limit": 1}).want(t, 200).decode(t, &got)
	if len(got.Entries) != 1 || got.Entries[0].Action != "audit.search" || got.Entries[0].ActorRef != "s1001" ||
		got.Entries[0].ActorKindName != "工作人员" || got.Entries[0].ChannelName != "管理后台" {
		t.Errorf("latest entry: got %+v; want the search by s1001 in the back office", got.Entries)
	}
	for _, r := range e.auditRows(t, 2) {
		if strings.Contains(r.ActorRef+r.SubjectRef+string(r.Detail), raw) {
			t.Errorf("an audit entry holds the raw ID number: %+v", r)
		}
	}
	if strings.Contains(e.logs.String(), raw) {
		t.Error("the raw ID number is in the log")
	}
}

func TestAuditSearchInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	raw := idNumber("21060219850315002")
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"neither", map[string]any{}, "idNumber"},
		{"both", map[string]any{"idNumber": raw, "creditCode": "91210600MA0XXXXX0X"}, "idNumber"},
		{"bad check digit", map[string]any{"idNumber": raw[:17] + wrongDigit(raw[17])}, "idNumber"},
		{"bad credit code", map[string]any{"creditCode": "ABC"}, "creditCode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := e.do(t, "POST", "/admin/v1/audit/search", adminToken, tt.body).want(t, 400).problem(t)
			if !hasField(p, tt.field) {
				t.Errorf("got %+v; want a fault on %s", p.Errors, tt.field)
			}
		})
	}
	var unit auditSearchJSON
	e.do(t, "POST", "/admin/v1/audit/search", adminToken, map[string]any{"creditCode": "91210600123456789X"}).want(t, 200).decode(t, &unit)
	if unit.SubjectKind != "unit" || len(unit.Entries) != 0 {
		t.Errorf("a unit without entries: got %+v; want kind unit and no entries", unit)
	}
	e.do(t, "POST", "/admin/v1/audit/search", operatorToken, map[string]any{"idNumber": raw}).want(t, 403)
}

// wrongDigit is a check digit other than c.
func wrongDigit(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}
