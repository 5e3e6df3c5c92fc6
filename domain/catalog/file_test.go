package catalog_test

import (
	"slices"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

// The embedded catalog passes every definition check: unique keys,
// referenced and bundled matters exist, prerequisites have no circle,
// bundles merge into one form and one set of materials.
func TestEmbeddedCatalogLoads(t *testing.T) {
	svc, _ := open(t, embedded(t))
	n := len(svc.List(catalog.Filter{}))
	if n < 50 || n > 80 {
		t.Errorf("got %d matters; want the 50–80 the channels and bundles need", n)
	}
}

// Every function of the channels in seed 2.1 that is an application has a
// matter offered on that channel.
func TestEveryChannelFunctionHasItsMatter(t *testing.T) {
	svc, _ := open(t, embedded(t))
	tests := []struct {
		channel  domain.Channel
		function string
		code     string
	}{
		{domain.Enterprise, "(二)1 单位信息修改", "unit.info_change"},
		{domain.Enterprise, "(二)1 参保登记录入", "unit.registration"},
		{domain.Enterprise, "(二)1 分户、合并、破产、注销", "unit.deregistration"},
		{domain.Enterprise, "(二)1 分户", "unit.split"},
		{domain.Enterprise, "(二)2 就业登记", "employment.registration"},
		{domain.Enterprise, "(二)2 人员新增", "unit.staff_add"},
		{domain.Enterprise, "(二)2 人员中止", "unit.staff_remove"},
		{domain.Enterprise, "(二)3 基数申报", "unit.base_declaration"},
		{domain.Enterprise, "(二)4 人员转出", "unit.staff_transfer_out"},
		{domain.Enterprise, "(二)5 人员转入", "unit.staff_transfer_in"},
		{domain.Enterprise, "(二)6 单位核定申请", "unit.monthly_assessment"},
		{domain.Enterprise, "(二)6 人员工资调整", "unit.wage_change"},
		{domain.Enterprise, "(二)7 就业失业待遇申领", "unemployment.benefit_claim"},
		{domain.Enterprise, "(二)8 就业失业保险金申领登记表", "unemployment.claim_registration"},
		{domain.Enterprise, "(二)9 就业告知书打印", "employment.notice_print"},
		{domain.Enterprise, "(二)10 就业失业待遇申领修改", "unemployment.claim_change"},
		{domain.Enterprise, "(二)11 就业失业待遇申领删除", "unemployment.claim_withdraw"},
		{domain.Enterprise, "(二)12 就失业证查询", "employment.certificate_query"},
		{domain.Enterprise, "(二)13 就业证件信息申请", "employment.certificate_apply"},
		{domain.Enterprise, "(二)14 机关事业单位申报", "institution.monthly_declaration"},
		{domain.Kiosk, "(三)3 核定申请", "unit.monthly_assessment"},
		{domain.Kiosk, "(三)10 养老认证", "pension.certification"},
		{domain.Kiosk, "(三)11 养老个人基数档次修改", "pension.base_tier_change"},
		{domain.App, "(四)1 电子社保卡", "card.ecard_apply"},
		{domain.App, "(四)2 求职登记", "employment.job_seeker_registration"},
		{domain.App, "(四)3 养老待遇核定", "pension.retirement"},
		{domain.App, "(四)3 养老待遇支付", "pension.payment_account_change"},
		{domain.App, "(四)5 灵活就业人员缴费", "payment.flexible"},
		{domain.App, "(四)5 单位缴费", "payment.unit"},
		{domain.WeChat, "(五)1 异地接转申请", "transfer.pension"},
		{domain.WeChat, "(五)1 更名申请", "insured.name_change"},
		{domain.WeChat, "(五)1 死亡停保申请", "insured.death_stop"},
		{domain.WeChat, "(五)1 养老待遇申报", "pension.retirement"},
		{domain.WeChat, "(五)1 异地养老备案", "pension.remote_residence"},
		{domain.WeChat, "(五)1 个人账户返还申请", "pension.account_refund"},
		{domain.WeChat, "(五)1 二次补助申请", "pension.survivor_benefit"},
	}
	for _, tt := range tests {
		m, err := svc.Matter(tt.code)
		if err != nil {
			t.Errorf("%s: matter %s: %v", tt.function, tt.code, err)
			continue
		}
		if !m.Offers(tt.channel) {
			t.Errorf("%s: %s (%s) is offered on %v; want also %s", tt.function, tt.code, m.Name, m.Channels, tt.channel)
		}
	}
	for _, c := range domain.Channels {
		if len(svc.List(catalog.Filter{Channel: c})) == 0 {
			t.Errorf("channel %s offers no matter", c)
		}
	}
}

// The ten bundles of seed 2.2 are there by name, each packaging existing
// matters into one form and one set of materials.
func TestTheTenBundles(t *testing.T) {
	svc, _ := open(t, embedded(t))
	want := []string{"企业招用员工", "企业与员工解除终止劳动合同", "失业", "高校毕业生就业（含灵活就业）",
		"事业单位聘用工作人员", "创业", "职工退休", "申领工亡人员有关待遇", "退休人员过世", "申领社会保障卡"}
	var got []string
	for _, b := range svc.Bundles() {
		got = append(got, b.Name)
		if len(b.Packaged) != len(b.Matters) || len(b.Packaged) < 2 {
			t.Errorf("%s packages %d of %d matters; want all, at least two", b.Name, len(b.Packaged), len(b.Matters))
		}
		if len(b.Channels) == 0 {
			t.Errorf("%s: no channel offers every packaged matter", b.Name)
		}
		keys := map[string]bool{}
		for _, f := range b.Fields {
			if keys[f.Key] {
				t.Errorf("%s: field %s asked twice in the merged form", b.Name, f.Key)
			}
			keys[f.Key] = true
		}
	}
	for _, name := range want {
		if !slices.Contains(got, name) {
			t.Errorf("bundle %q missing; got %v", name, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d bundles; want %d", len(got), len(want))
	}
}

// Seed 1.2(二): 25 high-frequency matters, each instant or promised in at
// most half its statutory limit; commitments (告知承诺制) replace some
// materials.
func TestHighFrequencyAndCommitments(t *testing.T) {
	svc, _ := open(t, embedded(t))
	hf := svc.List(catalog.Filter{HighFrequency: true})
	if len(hf) != 25 {
		t.Errorf("got %d high-frequency matters; want 25", len(hf))
	}
	for _, m := range hf {
		if !m.Limits.Instant && 2*m.Limits.PromisedDays > m.Limits.StatutoryDays {
			t.Errorf("%s promises %d of %d days; want at most half", m.Code, m.Limits.PromisedDays, m.Limits.StatutoryDays)
		}
	}
	commitments := 0
	for _, s := range svc.List(catalog.Filter{}) {
		m, _ := svc.Matter(s.Code)
		for _, mt := range m.Materials {
			if mt.AcceptsCommitment() {
				commitments++
			}
		}
	}
	if commitments < 10 {
		t.Errorf("got %d materials replaceable by a commitment; want the 告知承诺 ones marked", commitments)
	}
}

// Every form of every matter accepts its own sample data, so the examples
// published with the schemas are right.
func TestSampleFormsPass(t *testing.T) {
	svc, _ := open(t, embedded(t))
	for _, s := range svc.List(catalog.Filter{}) {
		m, _ := svc.Matter(s.Code)
		for _, sit := range append([]catalog.Situation{{}}, m.Situations...) {
			f, err := svc.Form(m.Code, sit.Code)
			if err != nil {
				t.Fatalf("Form(%s, %q): %v", m.Code, sit.Code, err)
			}
			if err := svc.ValidateForm(m.Code, sit.Code, catalog.SampleForm(f.Fields)); err != nil {
				t.Errorf("%s %q: sample rejected: %v", m.Code, sit.Code, err)
			}
		}
	}
	for _, b := range svc.Bundles() {
		if err := svc.ValidateBundleForm(b.Code, catalog.SampleForm(b.Fields)); err != nil {
			t.Errorf("%s: sample rejected: %v", b.Code, err)
		}
	}
}

func TestParseFileRejectsUnknownKeys(t *testing.T) {
	_, err := catalog.ParseFile([]byte(`{"version":1,"matters":[{"code":"pension.x","requried":true}]}`))
	if err == nil {
		t.Fatal("got nil; want an error for the misspelt key")
	}
}
