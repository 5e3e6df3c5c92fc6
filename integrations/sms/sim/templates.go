package sim

import (
	"strings"

	"github.com/dandong-hrss/hrss/integrations/sms"
)

// signature is the SMS sign (短信签名) the carriers put in front of every
// text; it is filed with the platform along with the templates.
const signature = "【丹东人社】"

// templates are the texts the bureau has filed with the platform, keyed by
// id. ${name} marks a parameter; every one must be supplied.
var templates = map[string]string{
	sms.TemplateVerifyCode: "您的验证码为${code}，${minutes}分钟内有效，请勿泄露给他人。如非本人操作，请忽略本短信。",
	sms.TemplateProgress:   "您办理的“${matter}”（办件编号${applicationId}）${status}，详情请在丹东智慧人社APP或丹东人社公众号查看。",
	sms.TemplateCertReminder: "${name}您好，您${year}年度养老保险待遇资格认证尚未完成，请于${deadline}前通过丹东智慧人社APP" +
		"或社区自助一体机完成认证，逾期将暂停发放待遇。",
	sms.TemplateTransferStatus: "您的${insurance}关系转移接续申请（${from}转入${to}）${status}，如有疑问请拨打12333。",
}

// render fills the template's parameters; it returns the name of the first
// missing parameter, if any, instead of a half-filled text.
func render(text string, params map[string]string) (content, missing string) {
	var b strings.Builder
	b.WriteString(signature)
	for {
		start := strings.Index(text, "${")
		if start < 0 {
			b.WriteString(text)
			return b.String(), ""
		}
		end := strings.IndexByte(text[start:], '}') + start
		name := text[start+2 : end]
		value, ok := params[name]
		if !ok || value == "" {
			return "", name
		}
		b.WriteString(text[:start])
		b.WriteString(value)
		text = text[end+1:]
	}
}
