package acceptance_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
)

func valid() acceptance.Submission {
	return acceptance.Submission{
		ApplicationID: "AP-20261129-0001",
		MatterCode:    "unemployment_benefit",
		Applicant:     acceptance.Applicant{Kind: acceptance.Person, Ref: "p:3f9a", Display: "张* 2106**********123X"},
		Channel:       domain.WeChat,
		Form:          json.RawMessage(`{"bank":"工商银行"}`),
		Materials:     []acceptance.Material{{Name: "解除劳动合同证明", Hash: "sha256:ab12"}},
	}
}

func TestSubmissionValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*acceptance.Submission)
		field  string // "" for valid
	}{
		{"complete", func(*acceptance.Submission) {}, ""},
		{"generic intake names the matter", func(s *acceptance.Submission) { s.MatterCode, s.MatterName = "", "工伤职工转诊备案" }, ""},
		{"no application id", func(s *acceptance.Submission) { s.ApplicationID = "" }, "applicationId"},
		{"application id with spaces", func(s *acceptance.Submission) { s.ApplicationID = "AP 1" }, "applicationId"},
		{"no matter at all", func(s *acceptance.Submission) { s.MatterCode = "" }, "matterName"},
		{"unknown applicant kind", func(s *acceptance.Submission) { s.Applicant.Kind = "robot" }, "applicant.kind"},
		{"no applicant reference", func(s *acceptance.Submission) { s.Applicant.Ref = "" }, "applicant.ref"},
		{"unknown channel", func(s *acceptance.Submission) { s.Channel = "fax" }, "channel"},
		{"form not JSON", func(s *acceptance.Submission) { s.Form = json.RawMessage(`{bank:`) }, "form"},
		{"material without hash", func(s *acceptance.Submission) { s.Materials[0].Hash = "" }, "materials"},
		{"bad bundle id", func(s *acceptance.Submission) { s.BundleID = "包/1" }, "bundleId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := valid()
			tt.change(&s)
			err := s.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v; want nil", err)
				}
				return
			}
			var de *domain.Error
			if !errors.As(err, &de) || de.Code != domain.Invalid || len(de.Fields) != 1 || de.Fields[0].Field != tt.field {
				t.Errorf("Validate() = %v; want Invalid on %q only", err, tt.field)
			}
		})
	}
}

func TestEveryStatusAndKindHasALabel(t *testing.T) {
	for _, s := range acceptance.Statuses {
		if s.Label() == "未知状态" {
			t.Errorf("status %q has no label", s)
		}
	}
	for _, k := range acceptance.EventKinds {
		if k.Label() == "未知进度" {
			t.Errorf("event kind %q has no label", k)
		}
	}
}

func TestFinalStatuses(t *testing.T) {
	final := map[acceptance.Status]bool{acceptance.StatusCompleted: true, acceptance.StatusRejected: true,
		acceptance.StatusTerminated: true, acceptance.StatusWithdrawn: true}
	for _, s := range acceptance.Statuses {
		if got := s.Final(); got != final[s] {
			t.Errorf("%s.Final() = %v; want %v", s, got, final[s])
		}
	}
}
