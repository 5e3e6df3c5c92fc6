package catalog_test

import (
	"testing"

	"github.com/dandong-hrss/hrss/domain/catalog"
)

// Situations change what is required: the same matter asks different
// questions and materials in each variant.
func TestSituationsChangeTheForm(t *testing.T) {
	svc, _ := open(t, embedded(t))
	base, err := svc.Form("pension.account_refund", "")
	if err != nil {
		t.Fatal(err)
	}
	data := catalog.SampleForm(base.Fields)
	if err := svc.ValidateForm("pension.account_refund", "", data); err != nil {
		t.Fatalf("base form: got %v; want valid", err)
	}

	// Settling abroad: the deceased's details are gone and the country is
	// asked for instead.
	got := fieldErrors(t, svc.ValidateForm("pension.account_refund", "abroad", data))
	for _, key := range []string{"relation", "insuredName", "insuredIdNumber", "deathDate"} {
		if got[key] == "" {
			t.Errorf("abroad: got %v; want %s refused as not in the form", got, key)
		}
	}
	if got["country"] != "请填写定居国家（地区）" {
		t.Errorf("abroad: country: got %q; want 请填写定居国家（地区）", got["country"])
	}
	abroad, _ := svc.Form("pension.account_refund", "abroad")
	if hasMaterial(abroad, "death_certificate") || !hasMaterial(abroad, "settlement_proof") {
		t.Errorf("abroad materials: got %v; want settlement_proof instead of death_certificate", materialCodes(abroad))
	}

	// Pension certification by an agent needs the agent's identity.
	cert, _ := svc.Form("pension.certification", "")
	got = fieldErrors(t, svc.ValidateForm("pension.certification", "by_agent", catalog.SampleForm(cert.Fields)))
	if got["agentName"] != "请填写代办人姓名" || got["agentIdNumber"] != "请填写代办人身份证号码" {
		t.Errorf("by_agent: got %v; want agentName and agentIdNumber required", got)
	}
}

func hasMaterial(f catalog.Form, code string) bool {
	for _, m := range f.Materials {
		if m.Code == code {
			return true
		}
	}
	return false
}

func materialCodes(f catalog.Form) []string {
	var out []string
	for _, m := range f.Materials {
		out = append(out, m.Code)
	}
	return out
}

// A bundle's merged form asks each question once, and splitting it gives
// each packaged matter exactly its own fields.
func TestBundleMergesAndSplits(t *testing.T) {
	svc, _ := open(t, embedded(t))
	b, err := svc.Bundle("bundle.retiree_death")
	if err != nil {
		t.Fatal(err)
	}
	data := catalog.SampleForm(b.Fields)
	if err := svc.ValidateBundleForm(b.Code, data); err != nil {
		t.Fatalf("merged sample: got %v; want valid", err)
	}
	delete(data, "deathDate")
	if got := fieldErrors(t, svc.ValidateBundleForm(b.Code, data)); got["deathDate"] != "请填写死亡日期" {
		t.Errorf("got %v; want deathDate required once", got)
	}
	data["deathDate"] = "2026-01-05"
	parts, err := svc.SplitBundleForm(b.Code, data)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range b.Matters {
		if err := svc.ValidateForm(code, "", parts[code]); err != nil {
			t.Errorf("%s: its part of the bundle form: %v", code, err)
		}
	}
	// One set of materials: the death certificate is asked for once.
	n := 0
	for _, m := range b.Materials {
		if m.Code == "death_certificate" {
			n++
			if !m.AcceptsCommitment() {
				t.Errorf("death certificate: got no commitment; want the 告知承诺 every packaged matter allows")
			}
		}
	}
	if n != 1 {
		t.Errorf("got the death certificate %d times; want once", n)
	}
}

// The list filters by channel, applicant and keyword.
func TestList(t *testing.T) {
	svc, _ := open(t, embedded(t))
	for _, s := range svc.List(catalog.Filter{Channel: "kiosk", Applicant: catalog.Unit}) {
		if s.Applicant != catalog.Unit {
			t.Errorf("%s: got applicant %s; want unit", s.Code, s.Applicant)
		}
	}
	got := svc.List(catalog.Filter{Keyword: "资格认证"})
	if len(got) != 1 || got[0].Code != "pension.certification" {
		t.Errorf("keyword 资格认证: got %v; want pension.certification", got)
	}
	if got := svc.List(catalog.Filter{Keyword: "PENSION.CERT"}); len(got) != 1 {
		t.Errorf("keyword by code ignoring case: got %d matters; want 1", len(got))
	}
}
