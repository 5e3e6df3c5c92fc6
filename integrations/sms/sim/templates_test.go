package sim

import (
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/integrations/sms"
)

// TestEveryClientTemplateIsFiled keeps the client's template ids and the
// platform's catalog from drifting apart: each id renders fully with the
// parameters its doc comment names.
func TestEveryClientTemplateIsFiled(t *testing.T) {
	tests := map[string]map[string]string{
		sms.TemplateVerifyCode:     {"code": "482913", "minutes": "5"},
		sms.TemplateProgress:       {"matter": "失业保险金申领", "applicationId": "BJ2025-0001", "status": "已办结"},
		sms.TemplateCertReminder:   {"name": "张三", "year": "2025", "deadline": "2025年12月31日"},
		sms.TemplateTransferStatus: {"insurance": "基本养老保险", "from": "沈阳市", "to": "丹东市", "status": "已办结"},
	}
	for id, params := range tests {
		text, ok := templates[id]
		if !ok {
			t.Errorf("template %s not in the platform's catalog", id)
			continue
		}
		got, missing := render(text, params)
		if missing != "" || strings.Contains(got, "${") || !strings.HasPrefix(got, "【丹东人社】") {
			t.Errorf("render(%s) = %q, missing %q; want full text under the sign", id, got, missing)
		}
		for _, v := range params {
			if !strings.Contains(got, v) {
				t.Errorf("render(%s) = %q; want it to contain %q", id, got, v)
			}
		}
	}
	if len(templates) != len(tests) {
		t.Errorf("catalog has %d templates; the test covers %d", len(templates), len(tests))
	}
}
