package bff

import (
	"context"

	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/sms"
)

// clients are the BFF's clients of the external systems.
type clients struct {
	core *insurance.Client
	sms  *sms.Client
}

// openSystems starts the simulator of every system whose URL is not
// configured, then builds every client against its URL, so that the
// embedded default runs the same client code as production.
func (m *Main) openSystems(ctx context.Context) error {
	urls := map[string]string{SystemCore: m.Config.CoreURL, SystemSMS: m.Config.SMSURL}
	var missing []string
	for _, name := range Systems {
		if urls[name] == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sims, err := StartSimulators(m.Config.Sim, missing, nil, SimDeps{DB: m.DB, Logger: m.Logger})
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
	return nil
}
