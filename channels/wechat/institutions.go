package wechat

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// institutionsJSON is the list of places where Dandong's insured pay
// contributions (缴费机构): tax halls, bank branches and the bureau's own
// hall. No system here holds it, so it ships with the channel and changes
// with a release; the payment office (征缴科) owns the file and must check
// every address and opening hour before it goes live.
//
//go:embed institutions.json
var institutionsJSON []byte

// WxInstitution is one place to pay contributions.
type WxInstitution struct {
	Name      string   `json:"name"`
	Kind      string   `json:"kind" enum:"hall,tax,bank" doc:"hall 社保服务大厅，tax 税务办税服务厅，bank 银行网点"`
	KindLabel string   `json:"kindLabel"`
	District  string   `json:"district" doc:"所在区县"`
	Address   string   `json:"address"`
	Hours     string   `json:"hours" doc:"办公时间"`
	Phone     string   `json:"phone" doc:"咨询电话"`
	Services  []string `json:"services" doc:"可办理的缴费业务"`
}

var kindLabels = map[string]string{"hall": "社保服务大厅", "tax": "税务办税服务厅", "bank": "银行网点"}

// institutionFile is institutions.json.
type institutionFile struct {
	Version      string          `json:"version"`
	Notice       string          `json:"notice"`
	Institutions []WxInstitution `json:"institutions"`
}

// loadInstitutions reads and checks the embedded list.
func loadInstitutions() (institutionFile, error) {
	var f institutionFile
	if err := json.Unmarshal(institutionsJSON, &f); err != nil {
		return f, fmt.Errorf("wechat: institutions.json: %w", err)
	}
	for i, in := range f.Institutions {
		label, ok := kindLabels[in.Kind]
		if !ok || in.Name == "" || in.District == "" || in.Address == "" || in.Phone == "" {
			return f, fmt.Errorf("wechat: institutions.json: entry %d (%q) lacks a known kind, district, address or phone", i, in.Name)
		}
		f.Institutions[i].KindLabel = label
	}
	return f, nil
}

// WxInstitutionsInput filters and pages the list.
type WxInstitutionsInput struct {
	District string `query:"district" maxLength:"20" doc:"区县，如 振兴区；不传为全部"`
	Kind     string `query:"kind" enum:"hall,tax,bank" doc:"类别；不传为全部"`
	Page     int    `query:"page" minimum:"1" default:"1"`
}

// WxInstitutionsOutput is the 缴费机构地址 page.
type WxInstitutionsOutput struct {
	Body struct {
		Items     []WxInstitution `json:"items"`
		Paging    WxPaging        `json:"paging"`
		Districts []string        `json:"districts" doc:"可选的区县"`
		Notice    string          `json:"notice"`
	}
}

func (c *Channel) registerInstitutions(api huma.API) {
	huma.Register(api, c.op(api, public, http.MethodGet, "/payment-institutions", "payment-institutions",
		"查询：缴费机构地址"), c.institutions)
}

func (c *Channel) institutions(_ context.Context, in *WxInstitutionsInput) (*WxInstitutionsOutput, error) {
	var hits []WxInstitution
	var districts []string
	seen := map[string]bool{}
	for _, p := range c.places.Institutions {
		if !seen[p.District] {
			seen[p.District] = true
			districts = append(districts, p.District)
		}
		if (in.District == "" || p.District == in.District) && (in.Kind == "" || p.Kind == in.Kind) {
			hits = append(hits, p)
		}
	}
	out := &WxInstitutionsOutput{}
	out.Body.Items, out.Body.Paging = paginate(hits, in.Page, pageSize)
	out.Body.Districts, out.Body.Notice = districts, c.places.Notice
	return out, nil
}

// institutionsText is the chat reply listing the bureau's own hall and
// the tax halls, with the page for the banks.
func (c *Channel) institutionsText() string {
	var b strings.Builder
	b.WriteString("【缴费机构】\n")
	for _, p := range c.places.Institutions {
		if p.Kind == "bank" {
			continue
		}
		fmt.Fprintf(&b, "%s\n地址：%s\n电话：%s\n\n", p.Name, p.Address, p.Phone)
	}
	fmt.Fprintf(&b, `银行网点及办公时间：<a href="%s">点此查看全部缴费机构</a>`, c.page("/institutions"))
	return b.String()
}
