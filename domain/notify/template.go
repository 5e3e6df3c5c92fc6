package notify

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// The SMS templates (短信模板) the bureau filed with the gateway. Carriers
// deliver only filed text, so a notice names one of these and fills its
// parameters; integrations/sms declares the same ids.
const (
	SMSTemplateProgress       = "HRSS_PROGRESS_UPDATE" // matter, applicationId, status
	SMSTemplateCertReminder   = "HRSS_CERT_REMINDER"   // name, year, deadline
	SMSTemplateTransferStatus = "HRSS_TRANSFER_STATUS" // insurance, from, to, status
)

// The fields of a WeChat template message (模板消息) in the classic layout
// the account's templates use: a heading, up to four keywords, a remark.
const (
	FieldFirst  = "first"
	FieldRemark = "remark"
)

// Keyword returns the name of the i-th keyword field (1-based): keyword1…
func Keyword(i int) string { return "keyword" + string(rune('0'+i)) }

// WeChatMessage is a notice rendered for WeChat.
type WeChatMessage struct {
	Kind Kind              // selects the template the account added for this kind
	URL  string            // the H5 page tapping opens; "" for none
	Data map[string]string // FieldFirst, keyword1…, FieldRemark
}

// SMSMessage is a notice rendered for the SMS gateway.
type SMSMessage struct {
	Template string            // one of the SMSTemplate ids
	Params   map[string]string // the template's parameters
}

// Message is a notice rendered for both routes.
type Message struct {
	WeChat WeChatMessage
	SMS    SMSMessage
}

// maxSMSParam is what gateways accept in one template parameter (阿里云 and
// the provincial platform: 35 characters); longer values are cut with "…".
const maxSMSParam = 35

// maxWeChatValue bounds one WeChat field; the remark carries staff's note.
const maxWeChatValue = 200

// shape is how one family of kinds fills the two templates.
type shape int

const (
	shapeApplication shape = iota // matter, application id, status, time
	shapeCert                     // name, year, deadline
	shapeTransfer                 // insurance, from, to, status, time
)

// template is the Chinese text of one kind.
type template struct {
	shape  shape
	title  string // the WeChat heading
	status string // the status when Params.Status is empty; "" makes it required
	remark string // the WeChat closing line
}

var templates = map[Kind]template{
	KindProgress:        {shapeApplication, "您办理的事项有新进度", "", "点击查看办理详情。"},
	KindMaterialsNeeded: {shapeApplication, "您办理的事项需要补齐材料", "需补齐材料", "请按要求补齐材料，点击查看需补齐的材料。"},
	KindCompleted:       {shapeApplication, "您办理的事项已办结", "已办结", "感谢您的耐心等待，点击查看办理结果。"},
	KindRejected:        {shapeApplication, "您办理的事项未通过审核", "未通过", "如有疑问，请拨打12333咨询或到服务大厅窗口办理。"},
	KindRatingReminder:  {shapeApplication, "请对本次服务作出评价", "已办结，欢迎您对本次服务作出评价", "您的评价将帮助我们改进服务，点击进行评价。"},
	KindPaymentReceived: {shapeApplication, "缴费成功通知", "缴费已到账", "点击查看缴费记录。"},
	KindCertReminder:    {shapeCert, "养老保险待遇资格认证提醒", "", "逾期未认证将暂停发放待遇，点击立即认证。"},
	KindTransferStatus:  {shapeTransfer, "您的社会保险关系转移接续有新进度", "", "如有疑问，请拨打12333咨询。"},
}

// Render returns the Chinese text of a notice for WeChat and SMS. linkBase
// is the H5 site (like "https://hrss.dandong.gov.cn/h5") that Params.Link is
// a path of. Error: Invalid naming the parameters the kind needs but lacks,
// or an unknown kind.
func Render(kind Kind, p Params, linkBase string) (Message, error) {
	t, ok := templates[kind]
	if !ok {
		return Message{}, domain.InvalidFields(domain.FieldError{Field: "kind", Message: "不支持的通知类型"})
	}
	if p.Status == "" {
		p.Status = t.status
	}
	if kind == KindPaymentReceived && p.Amount > 0 {
		p.Status += "，金额" + p.Amount.Yuan() + "元"
	}
	if err := check(t.shape, p); err != nil {
		return Message{}, err
	}
	var m Message
	switch t.shape {
	case shapeApplication:
		m = renderApplication(p)
	case shapeCert:
		m = renderCert(p)
	case shapeTransfer:
		m = renderTransfer(p)
	}
	m.WeChat.Kind = kind
	m.WeChat.Data[FieldFirst] = t.title
	m.WeChat.Data[FieldRemark] = remark(p.Note, t.remark)
	if linkBase != "" && p.Link != "" {
		m.WeChat.URL = strings.TrimRight(linkBase, "/") + p.Link
	}
	for k, v := range m.WeChat.Data {
		m.WeChat.Data[k] = clip(v, maxWeChatValue)
	}
	for k, v := range m.SMS.Params {
		m.SMS.Params[k] = clip(v, maxSMSParam)
	}
	return m, nil
}

func renderApplication(p Params) Message {
	return Message{
		WeChat: WeChatMessage{Data: map[string]string{
			Keyword(1): p.Matter, Keyword(2): p.ApplicationID, Keyword(3): p.Status, Keyword(4): when(p.At),
		}},
		SMS: SMSMessage{Template: SMSTemplateProgress, Params: map[string]string{
			"matter": p.Matter, "applicationId": p.ApplicationID, "status": p.Status,
		}},
	}
}

func renderCert(p Params) Message {
	return Message{
		WeChat: WeChatMessage{Data: map[string]string{
			Keyword(1): p.Name + "，您" + p.Year + "年度养老保险待遇资格认证尚未完成",
			Keyword(2): p.Deadline,
			Keyword(3): "丹东智慧人社APP或社区自助一体机",
		}},
		SMS: SMSMessage{Template: SMSTemplateCertReminder, Params: map[string]string{
			"name": p.Name, "year": p.Year, "deadline": p.Deadline,
		}},
	}
}

func renderTransfer(p Params) Message {
	return Message{
		WeChat: WeChatMessage{Data: map[string]string{
			Keyword(1): p.Insurance, Keyword(2): p.From + "转入" + p.To, Keyword(3): p.Status, Keyword(4): when(p.At),
		}},
		SMS: SMSMessage{Template: SMSTemplateTransferStatus, Params: map[string]string{
			"insurance": p.Insurance, "from": p.From, "to": p.To, "status": p.Status,
		}},
	}
}

// required is one parameter a shape needs, with its Chinese name.
type required struct{ field, value, label string }

// check names the parameters the shape needs that p lacks.
func check(s shape, p Params) error {
	var need []required
	switch s {
	case shapeApplication:
		need = []required{{"matter", p.Matter, "事项名称"}, {"applicationId", p.ApplicationID, "办件编号"},
			{"status", p.Status, "办理状态"}}
	case shapeCert:
		need = []required{{"name", p.Name, "姓名"}, {"year", p.Year, "认证年度"}, {"deadline", p.Deadline, "截止日期"}}
	case shapeTransfer:
		need = []required{{"insurance", p.Insurance, "险种"}, {"from", p.From, "转出地"}, {"to", p.To, "转入地"},
			{"status", p.Status, "办理状态"}}
	}
	var fields []domain.FieldError
	for _, n := range need {
		if strings.TrimSpace(n.value) == "" {
			fields = append(fields, domain.FieldError{Field: "params." + n.field, Message: "通知缺少" + n.label})
		}
	}
	if p.Link != "" && !strings.HasPrefix(p.Link, "/") {
		fields = append(fields, domain.FieldError{Field: "params.link", Message: "链接应为以/开头的页面路径"})
	}
	if len(fields) > 0 {
		return domain.InvalidFields(fields...)
	}
	return nil
}

// remark puts staff's note before the closing line.
func remark(note, closing string) string {
	if note == "" {
		return closing
	}
	return "说明：" + note + "\n" + closing
}

// when formats a time as notices print it, in Beijing: 2026年5月12日 09:30.
func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return domain.FormatDateCN(t) + " " + t.In(domain.Beijing).Format("15:04")
}

// clip cuts s to n characters, ending with "…" when cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
