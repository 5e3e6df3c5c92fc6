package declaration_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/declaration"
)

// pdf is a material file as a scanner makes it.
var pdf = []byte("%PDF-1.7\n解除劳动合同证明\n%%EOF")

func newService(t *testing.T) (*declaration.Service, *store, *int) {
	t.Helper()
	st := newStore()
	kicks := new(int)
	svc := declaration.NewService(declaration.Config{Store: st, Materials: st, Drafts: st, Rules: rules{}, Sealer: sealer{},
		Submitted: func() { *kicks++ }})
	return svc, st, kicks
}

// validRequest is a person's benefit application with its one required
// material uploaded to svc.
func validRequest(t *testing.T, svc *declaration.Service) declaration.Request {
	t.Helper()
	f, err := svc.UploadMaterial(context.Background(), pdf)
	if err != nil {
		t.Fatal(err)
	}
	return declaration.Request{
		MatterCode:     "unemployment.benefit",
		Applicant:      declaration.Who{Kind: acceptance.Person, IDNumber: personID, Name: "张三"},
		Channel:        domain.WeChat,
		IdempotencyKey: "k-1",
		Form:           json.RawMessage(`{"bank":"工商银行","phone":"` + phone + `"}`),
		Materials:      []acceptance.Material{{Name: "解除劳动合同证明", Hash: f.Hash}, {Name: "户口簿", Pledge: householdPledge}},
	}
}

// A material that allows it may be replaced by the commitment signed as
// shown (告知承诺制); the signed text is kept with the application.
func TestCommitmentReplacesAMaterial(t *testing.T) {
	tests := []struct {
		name     string
		material acceptance.Material
		want     string // "" when accepted
	}{
		{"signed as shown", acceptance.Material{Name: "户口簿", Pledge: householdPledge}, ""},
		{"text altered", acceptance.Material{Name: "户口簿", Pledge: "本人承诺"}, "“户口簿”的承诺内容与告知的不一致，请重新阅读并签署"},
		{"material without commitment", acceptance.Material{Name: "解除劳动合同证明", Pledge: householdPledge}, "“解除劳动合同证明”不适用告知承诺制，请上传材料"},
		{"neither file nor pledge", acceptance.Material{Name: "其他"}, "材料信息不完整，请重新上传"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _, _ := newService(t)
			req := validRequest(t, svc)
			if tt.material.Name == "户口簿" {
				req.Materials[1] = tt.material
			} else {
				req.Materials = append(req.Materials, tt.material)
			}
			f, err := svc.Submit(context.Background(), req)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Submit: %v", err)
				}
				if got := f.Applications[0].Materials[1]; got.Pledge != householdPledge || got.Hash != "" {
					t.Errorf("recorded %+v; want the signed commitment", got)
				}
				return
			}
			var de *domain.Error
			if !errors.As(err, &de) || !slices.ContainsFunc(de.Fields, func(f domain.FieldError) bool { return f.Message == tt.want }) {
				t.Errorf("got %v; want a field error %q", err, tt.want)
			}
		})
	}
}

func TestSubmitStoresOneSealedApplication(t *testing.T) {
	svc, st, kicks := newService(t)
	f, err := svc.Submit(context.Background(), validRequest(t, svc))
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	if len(f.Applications) != 1 || len(st.created) != 1 || *kicks != 1 {
		t.Fatalf("got %d applications, %d filings stored, %d kicks; want 1, 1, 1", len(f.Applications), len(st.created), *kicks)
	}
	a := f.Applications[0]
	if !strings.HasPrefix(a.ID, "AP") || len(a.ID) != 25 {
		t.Errorf("id %q; want AP + 14 digits + 9 characters", a.ID)
	}
	if a.State.Status != declaration.StatusSubmitted || a.MatterName != "失业保险金申领" {
		t.Errorf("status %q, matter %q; want submitted 失业保险金申领", a.State.Status, a.MatterName)
	}
	if a.Applicant.Display != "张* 1101**********002X" {
		t.Errorf("display %q; want 张* 1101**********002X", a.Applicant.Display)
	}
	for name, v := range map[string]string{"sealed ID": a.Applicant.SealedID, "ref": a.Applicant.Ref, "form": a.SealedForm} {
		if strings.Contains(v, personID) || strings.Contains(v, phone) {
			t.Errorf("%s %q holds the plain ID or phone", name, v)
		}
	}
}

func TestSubmitRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*declaration.Request)
		code   domain.Code
		field  string // for Invalid: a field named in the error
	}{
		{"wrong ID check digit", func(r *declaration.Request) { r.Applicant.IDNumber = "110105194912310021" }, domain.Invalid, "idNumber"},
		{"no idempotency key", func(r *declaration.Request) { r.IdempotencyKey = "" }, domain.Invalid, "idempotencyKey"},
		{"matter and bundle", func(r *declaration.Request) { r.BundleCode = "bundle.unemployment" }, domain.Invalid, "matterCode"},
		{"unknown channel", func(r *declaration.Request) { r.Channel = "fax" }, domain.Invalid, "channel"},
		{"form not an object", func(r *declaration.Request) { r.Form = json.RawMessage(`["bank"]`) }, domain.Invalid, "form"},
		{"form fails the matter's rules", func(r *declaration.Request) { r.Form = json.RawMessage(`{}`) }, domain.Invalid, "bank"},
		{"required material missing", func(r *declaration.Request) { r.Materials = nil }, domain.Invalid, "materials"},
		{"material never uploaded", func(r *declaration.Request) { r.Materials[0].Hash = declaration.MaterialHash([]byte("x")) }, domain.Invalid, "materials"},
		{"acting for without relation", func(r *declaration.Request) {
			r.ActingFor = &declaration.Who{Kind: acceptance.Person, IDNumber: "110105194912310037"}
		}, domain.Invalid, "relation"},
		{"unknown matter", func(r *declaration.Request) { r.MatterCode = "pension.nothing" }, domain.NotFound, ""},
		{"unit matter filed by a person", func(r *declaration.Request) { r.MatterCode = "unit.hire"; r.Materials = nil }, domain.Rejected, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, st, _ := newService(t)
			req := validRequest(t, svc)
			tt.change(&req)
			_, err := svc.Submit(context.Background(), req)
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != tt.code {
				t.Fatalf("Submit = %v; want %s", err, tt.code)
			}
			if tt.field != "" && !hasField(de, tt.field) {
				t.Errorf("Submit = %v; want a fault on %q", err, tt.field)
			}
			if len(st.created) != 0 {
				t.Errorf("stored %d filings; want none", len(st.created))
			}
		})
	}
}

func TestSubmitAcceptsUnitWithLegacyCreditCode(t *testing.T) {
	svc, _, _ := newService(t)
	req := declaration.Request{MatterCode: "unit.hire", Channel: domain.Enterprise, IdempotencyKey: "u-1",
		Applicant: declaration.Who{Kind: acceptance.Unit, CreditCode: "91350100M000100Y40", Name: "丹东某某有限公司"},
		Form:      json.RawMessage(`{"bank":"建设银行"}`)}
	f, err := svc.Submit(context.Background(), req)
	if err != nil {
		t.Fatalf("Submit with a legacy credit code: %v", err)
	}
	if got := f.Applications[0].Applicant.Display; got != "丹东某某有限公司 9135**********0Y40" {
		t.Errorf("display %q; want the unit's name and masked code", got)
	}
}

func TestSubmitBundleFansOutWithOneKey(t *testing.T) {
	svc, st, _ := newService(t)
	req := validRequest(t, svc)
	req.MatterCode, req.BundleCode = "", "bundle.unemployment"
	f, err := svc.Submit(context.Background(), req)
	if err != nil {
		t.Fatalf("Submit bundle: %v", err)
	}
	if len(f.Applications) != 2 || f.Bundle.ID == "" || f.Bundle.IdempotencyKey != "k-1" {
		t.Fatalf("got %d applications in bundle %q with key %q; want 2 in one bundle holding k-1",
			len(f.Applications), f.Bundle.ID, f.Bundle.IdempotencyKey)
	}
	for _, a := range f.Applications {
		if a.BundleID != f.Bundle.ID || a.IdempotencyKey != "" || len(a.Materials) != len(req.Materials) {
			t.Errorf("application %s: bundle %q, key %q, %d materials; want the bundle's id, no key, the one set",
				a.MatterCode, a.BundleID, a.IdempotencyKey, len(a.Materials))
		}
	}
	again, err := svc.Submit(context.Background(), req)
	if err != nil || again.Bundle.ID != f.Bundle.ID || len(st.created) != 1 {
		t.Errorf("repeat = %v, bundle %q, %d stored; want the first bundle %q, 1 stored", err, again.Bundle.ID, len(st.created), f.Bundle.ID)
	}
}

func TestSubmitRepeatedKey(t *testing.T) {
	svc, st, kicks := newService(t)
	req := validRequest(t, svc)
	first, err := svc.Submit(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := svc.Submit(context.Background(), req)
	if err != nil || again.Applications[0].ID != first.Applications[0].ID {
		t.Errorf("repeat = %v, %s; want the first application %s", err, again.Applications[0].ID, first.Applications[0].ID)
	}
	req.MatterCode, req.Materials = "unemployment.registration", nil
	if _, err := svc.Submit(context.Background(), req); !domain.IsCode(err, domain.Conflict) {
		t.Errorf("same key for another matter = %v; want Conflict", err)
	}
	if len(st.created) != 1 || *kicks != 1 {
		t.Errorf("%d stored, %d kicks; want 1 and 1", len(st.created), *kicks)
	}
}

func TestUploadMaterial(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		code domain.Code
		ct   string
	}{
		{"pdf", pdf, "", declaration.TypePDF},
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10}, "", declaration.TypeJPEG},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "", declaration.TypePNG},
		{"word file", []byte("PK\x03\x04word/document.xml"), domain.Invalid, ""},
		{"empty", nil, domain.Invalid, ""},
		{"over 10 MB", append([]byte("%PDF-"), make([]byte, declaration.MaxMaterialSize)...), domain.TooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc, _, _ := newService(t)
			f, err := svc.UploadMaterial(context.Background(), tt.data)
			if got := domain.ErrorCode(err); got != tt.code {
				t.Fatalf("UploadMaterial = %v; want code %q", err, tt.code)
			}
			if err == nil && (f.ContentType != tt.ct || f.Hash != declaration.MaterialHash(tt.data) || f.Size != len(tt.data)) {
				t.Errorf("got %s %s %d; want %s, its hash, %d", f.ContentType, f.Hash, f.Size, tt.ct, len(tt.data))
			}
		})
	}
}

func TestDraftResumesOnAnotherChannel(t *testing.T) {
	svc, _, _ := newService(t)
	who := declaration.Who{Kind: acceptance.Person, IDNumber: personID}
	form := json.RawMessage(`{"bank":"工商银行","phone":"` + phone + `"}`)
	if _, err := svc.SaveDraft(context.Background(), who, declaration.Draft{Code: "unemployment.benefit", Channel: domain.Kiosk, Form: form}); err != nil {
		t.Fatal(err)
	}
	ref, _ := svc.Ref(who)
	d, err := svc.Draft(context.Background(), ref, "unemployment.benefit")
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Form) != string(form) || d.Channel != domain.Kiosk || strings.Contains(d.SealedForm, phone) {
		t.Errorf("resumed form %s from %s (sealed %q); want %s from kiosk, sealed", d.Form, d.Channel, d.SealedForm, form)
	}
}

func hasField(e *domain.Error, field string) bool {
	for _, f := range e.Fields {
		if f.Field == field {
			return true
		}
	}
	return false
}
