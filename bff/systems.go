package bff

import (
	"context"

	"github.com/dandong-hrss/hrss/integrations/counter"
	"github.com/dandong-hrss/hrss/integrations/employment"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/payment"
	"github.com/dandong-hrss/hrss/integrations/province"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/sms"
	"github.com/dandong-hrss/hrss/integrations/wechat"
)

// clients are the BFF's clients of the external systems.
type clients struct {
	core     *insurance.Client
	sms      *sms.Client
	transfer *province.TransferClient
	ecard    *province.CardClient
	payment  *payment.Client
	wechat   *wechat.Client
	counter  *counter.Client
	jobs     *employment.Client
}

// CounterWebhookPath is where the counter core posts case events.
const CounterWebhookPath = "/hooks/counter/events"

// openSystems starts the simulator of every system whose URL is not
// configured, then builds every client against its URL, so that the
// embedded default runs the same client code as production.
func (m *Main) openSystems(ctx context.Context) error {
	urls := map[string]string{SystemCore: m.Config.CoreURL, SystemSMS: m.Config.SMSURL,
		SystemProvince: m.Config.ProvinceURL, SystemPayment: m.Config.PaymentURL, SystemWeChat: m.Config.WeChatURL,
		SystemCounter: m.Config.CounterURL, SystemEmployment: m.Config.EmploymentURL}
	var missing []string
	for _, name := range Systems {
		if urls[name] == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sims, err := StartSimulators(m.Config.Sim, missing, nil, SimDeps{DB: m.DB, Logger: m.Logger,
			CounterWebhookURL: m.URL() + CounterWebhookPath})
		if err != nil {
			return err
		}
		m.Sims = sims
		m.closers = append(m.closers, func() error { return sims.Close(context.Background()) })
		for name, u := range sims.URLs {
			urls[name] = u
		}
		m.Logger.Info("simulators running in-process", "systems", missing)
	}
	corePolicy := remote.DefaultPolicy()
	corePolicy.Timeout = m.Config.CoreTimeout
	m.clients.core = insurance.New(insurance.Config{BaseURL: urls[SystemCore], Policy: corePolicy}, m.Registry)
	m.closers = append(m.closers, func() error { m.clients.core.Close(); return nil })
	m.clients.sms = sms.New(sms.Config{BaseURL: urls[SystemSMS], AppID: m.Config.SMSAppID, AppKey: m.Config.SMSAppKey,
		Policy: remote.DefaultPolicy()}, m.Registry)
	prov := province.Config{BaseURL: urls[SystemProvince], AppID: m.Config.ProvinceAppID, AppKey: m.Config.ProvinceAppKey,
		Policy: remote.DefaultPolicy()}
	m.clients.transfer = province.NewTransferClient(prov, m.Registry)
	m.clients.ecard = province.NewCardClient(prov, m.Registry)
	m.clients.payment = payment.New(payment.Config{BaseURL: urls[SystemPayment], AppID: m.Config.PaymentAppID,
		AppKey: m.Config.PaymentAppKey, Policy: remote.DefaultPolicy()}, m.Registry)
	wc, err := wechat.New(wechat.Config{AppID: m.Config.WeChatAppID, AppSecret: m.Config.WeChatAppSecret,
		Token: m.Config.WeChatToken, EncodingAESKey: m.Config.WeChatAESKey, BaseURL: urls[SystemWeChat],
		Policy: remote.DefaultPolicy()}, nil, m.Registry)
	if err != nil {
		return err
	}
	m.clients.wechat = wc
	m.closers = append(m.closers, wc.Close)
	m.clients.counter = counter.New(counter.Config{BaseURL: urls[SystemCounter], Token: m.Config.CounterToken,
		Policy: remote.DefaultPolicy()}, m.Registry)
	m.clients.jobs = employment.New(employment.Config{BaseURL: urls[SystemEmployment], AppID: m.Config.EmploymentAppID,
		AppKey: m.Config.EmploymentAppKey, Policy: remote.DefaultPolicy()}, m.Registry)
	return nil
}
