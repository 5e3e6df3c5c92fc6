package public

import (
	"context"
	_ "embed"
	"html/template"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/dandong-hrss/hrss/bff/web"
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/document"
)

type verifier struct {
	docs *document.Service
}

// verifyInput is the serial as typed or scanned; ParseSerial forgives case,
// spaces and look-alike letters.
type verifyInput struct {
	Serial string `path:"serial" maxLength:"40" doc:"文书编号，如 DDRS20261129K7QX3M9A"`
}

type verifyOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         verification
}

// verification is a print record as the public may see it: masked, and
// only the document's label/value facts — tables (lists of other people's
// contributions, for instance) stay on the paper.
type verification struct {
	Serial      string `json:"serial"`
	Authentic   bool   `json:"authentic" doc:"true：记录完整，内容摘要与打印时一致，文书真实有效；false：记录校验未通过，请到窗口核实"`
	Kind        string `json:"kind,omitempty"`
	KindName    string `json:"kindName,omitempty"`
	Title       string `json:"title,omitempty"`
	Subject     string `json:"subject,omitempty" doc:"当事人（已脱敏）"`
	IssuedAt    string `json:"issuedAt,omitempty" doc:"打印时间，RFC 3339，北京时间"`
	Office      string `json:"office,omitempty" doc:"出具单位"`
	Channel     string `json:"channel,omitempty"`
	ChannelName string `json:"channelName,omitempty"`
	Digest      string `json:"digest,omitempty" doc:"内容摘要 SHA-256（十六进制）；文书上印有前16位"`
	Facts       []fact `json:"facts,omitempty" doc:"文书所列事项"`
}

type fact struct {
	Section string `json:"section,omitempty"`
	Label   string `json:"label"`
	Value   string `json:"value"`
}

func (v *verifier) json(ctx context.Context, in *verifyInput) (*verifyOutput, error) {
	r, err := v.docs.Verify(ctx, in.Serial)
	if err != nil {
		return nil, err
	}
	return &verifyOutput{CacheControl: "no-store", Body: verificationOf(r)}, nil
}

// verificationOf shows an intact record; of an altered one, only that it
// fails, so nothing untrustworthy is displayed as the bureau's.
func verificationOf(r document.Record) verification {
	if !r.Intact() {
		return verification{Serial: r.Serial}
	}
	c := r.Content
	out := verification{
		Serial: r.Serial, Authentic: true, Kind: string(r.Kind), KindName: r.Kind.Label(), Title: r.Title,
		Subject: r.Subject, IssuedAt: c.IssuedAt,
		Office: c.IssuedBy.Office, Channel: string(c.IssuedBy.Channel), ChannelName: c.IssuedBy.Channel.Label(),
		Digest: r.Digest, Facts: []fact{},
	}
	for _, s := range c.Sections {
		for _, row := range s.Rows {
			out.Facts = append(out.Facts, fact{Section: s.Heading, Label: row.Label, Value: row.Value})
		}
	}
	return out
}

//go:embed verify.html
var verifyHTML string

var verifyPage = template.Must(template.New("verify").Parse(verifyHTML))

// pageData is what verify.html shows.
type pageData struct {
	Status   int
	Found    bool
	V        verification
	Printed  string // the issue time in Chinese
	Problem  string
	Advice   string
	Sections []pageSection
}

type pageSection struct {
	Heading string
	Facts   []fact
}

// page answers the QR code: HTML whatever happens, except a defect, which
// goes to the shared error handler to be logged.
func (v *verifier) page(c *fiber.Ctx) error {
	r, err := v.docs.Verify(c.UserContext(), c.Params("serial"))
	var d pageData
	switch code := domain.ErrorCode(err); {
	case err == nil:
		d = found(r)
	case code == domain.NotFound:
		d = pageData{Status: http.StatusNotFound, Problem: "未找到该文书",
			Advice: "请核对文书编号（以 DDRS 开头，印在文书页脚和二维码下方）。如编号无误，该文书可能不是本局出具的，请到服务大厅窗口核实。"}
	case code == domain.Internal:
		return err
	default:
		d = pageData{Status: web.Status(code), Problem: "暂时无法核验", Advice: "系统繁忙，请稍后再扫码或刷新本页面。"}
	}
	return renderPage(c, d)
}

func found(r document.Record) pageData {
	d := pageData{Status: http.StatusOK, Found: true, V: verificationOf(r)}
	if !d.V.Authentic {
		d.Problem = "记录校验未通过"
		d.Advice = "该编号的打印记录与打印时的内容摘要不一致，不能据此确认文书真实。请携带文书到服务大厅窗口核实。"
		return d
	}
	t := r.Content.Issued().In(domain.Beijing)
	d.Printed = domain.FormatDateCN(t) + " " + t.Format("15:04:05")
	for _, s := range r.Content.Sections {
		ps := pageSection{Heading: s.Heading}
		for _, row := range s.Rows {
			ps.Facts = append(ps.Facts, fact{Label: row.Label, Value: row.Value})
		}
		if len(ps.Facts) > 0 {
			d.Sections = append(d.Sections, ps)
		}
	}
	return d
}

// renderPage writes the page with headers that keep it out of caches,
// search engines and other sites' referrer logs.
func renderPage(c *fiber.Ctx, d pageData) error {
	var b strings.Builder
	if err := verifyPage.Execute(&b, d); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Robots-Tag", "noindex, nofollow")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	return c.Status(d.Status).SendString(b.String())
}
