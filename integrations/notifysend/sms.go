package notifysend

import (
	"context"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/integrations/sms"
)

// SMS sends notices through the SMS platform. The template ids of
// domain/notify are those filed with the platform (sms.Template…).
type SMS struct {
	client *sms.Client
}

var _ notify.SMSSender = (*SMS)(nil)

// NewSMS returns the SMS sender over client.
func NewSMS(client *sms.Client) *SMS { return &SMS{client: client} }

// SendSMS implements notify.SMSSender. The client never retries a send.
func (a *SMS) SendSMS(ctx context.Context, phone domain.Phone, m notify.SMSMessage) (string, error) {
	id, err := a.client.Send(ctx, phone, m.Template, m.Params)
	return id, settled(err)
}
