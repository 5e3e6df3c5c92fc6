package bff

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/dandong-hrss/hrss/integrations/simulator"
	"github.com/dandong-hrss/hrss/integrations/store"

	countersim "github.com/dandong-hrss/hrss/integrations/counter/sim"
	empsim "github.com/dandong-hrss/hrss/integrations/employment/sim"
	coresim "github.com/dandong-hrss/hrss/integrations/insurance/sim"
	paysim "github.com/dandong-hrss/hrss/integrations/payment/sim"
	provsim "github.com/dandong-hrss/hrss/integrations/province/sim"
	smssim "github.com/dandong-hrss/hrss/integrations/sms/sim"
	wechatsim "github.com/dandong-hrss/hrss/integrations/wechat/sim"
)

// SimConfig shapes the simulators of the external systems: the city's seed
// and each system's injected faults. The embedded default runs them
// in-process; `hrss sim` runs them standalone.
type SimConfig struct {
	Seed   uint64
	People int // insured people in the simulated city
	Units  int // employer units in the simulated city
	Faults map[string]*simulator.Faults

	// The counter core's staff: in auto-staff mode the simulator claims
	// and completes every task itself, one step per StepDelay.
	CounterAutoStaff bool
	CounterStepDelay time.Duration
}

// The external systems, by the short names used in flags, metrics and
// `hrss sim --system`.
const (
	SystemCore       = "core"       // 社保经办系统, the business core
	SystemSMS        = "sms"        // 短信平台
	SystemProvince   = "province"   // 省人社平台: the transfer platform and the e-card platform
	SystemPayment    = "payment"    // 缴费渠道 (bank/tax)
	SystemWeChat     = "wechat"     // 微信公众平台 APIs of the official account
	SystemCounter    = "counter"    // 综合柜员制受理 + 审核调度, the counter acceptance and dispatch core
	SystemEmployment = "employment" // 就业系统: job postings and job-seeker registration
)

// Systems lists every external system in start order; the business core
// comes first because the provincial simulator asks it for real names.
var Systems = []string{SystemCore, SystemSMS, SystemProvince, SystemPayment, SystemWeChat, SystemCounter, SystemEmployment}

// RegisterFlags adds the simulator settings to fs: -sim-seed, -sim-people,
// -sim-units and, per system, -sim-<system>-latency-min and the other
// fault settings.
func (s *SimConfig) RegisterFlags(fs *flag.FlagSet) {
	fs.Uint64Var(&s.Seed, "sim-seed", 1, "seed of the simulated city: the same seed gives the same people and units")
	fs.IntVar(&s.People, "sim-people", coresim.DefaultPeople, "insured people in the simulated city")
	fs.IntVar(&s.Units, "sim-units", coresim.DefaultUnits, "employer units in the simulated city")
	fs.BoolVar(&s.CounterAutoStaff, "sim-counter-auto-staff", true, "the simulated counter core claims and completes every task itself")
	fs.DurationVar(&s.CounterStepDelay, "sim-counter-step-delay", 2*time.Second, "time the simulated counter staff take per workflow step")
	s.Faults = map[string]*simulator.Faults{}
	for _, name := range Systems {
		f := &simulator.Faults{}
		if name == SystemCore {
			// The legacy core is slow; the demo should feel it.
			f.LatencyMin, f.LatencyMax = 30*time.Millisecond, 120*time.Millisecond
		}
		f.RegisterFlags(fs, "sim-"+name+"-")
		s.Faults[name] = f
	}
}

// Simulators are running simulators, by system.
type Simulators struct {
	URLs     map[string]string
	Core     *coresim.Sim
	SMS      *smssim.Sim
	Province *provsim.Sim
	Payment  *paysim.Sim
	WeChat   *wechatsim.Sim
	Counter  *countersim.Sim
	Jobs     *empsim.Sim
	servers  []*simulator.Server
	closers  []func()
}

// SimDeps are what some simulators need from the host: a database for the
// ones that keep state, and where the counter core posts its events.
type SimDeps struct {
	DB                *store.DB
	Logger            *slog.Logger
	CounterWebhookURL string
}

// StartSimulators starts the named systems' simulators, each on its address
// in addrs ("127.0.0.1:0" when absent). On error the ones started are
// stopped.
func StartSimulators(cfg SimConfig, systems []string, addrs map[string]string, deps SimDeps) (_ *Simulators, err error) {
	s := &Simulators{URLs: map[string]string{}}
	defer func() {
		if err != nil {
			s.Close(context.Background())
		}
	}()
	for _, name := range systems {
		if !slices.Contains(Systems, name) {
			return nil, fmt.Errorf("unknown system %q: want one of %v", name, Systems)
		}
		f := simulator.Faults{}
		if p := cfg.Faults[name]; p != nil {
			f = *p
		}
		if err := f.Validate(); err != nil {
			return nil, fmt.Errorf("%s simulator: %w", name, err)
		}
		h, err := s.build(name, cfg, f, deps)
		if err != nil {
			return nil, err
		}
		addr := addrs[name]
		if addr == "" {
			addr = "127.0.0.1:0"
		}
		srv, err := simulator.Serve(addr, h)
		if err != nil {
			return nil, fmt.Errorf("%s simulator: %w", name, err)
		}
		s.servers = append(s.servers, srv)
		s.URLs[name] = srv.URL()
	}
	return s, nil
}

func (s *Simulators) build(name string, cfg SimConfig, f simulator.Faults, deps SimDeps) (http.Handler, error) {
	switch name {
	case SystemCore:
		s.Core = coresim.New(coresim.Config{Seed: cfg.Seed, People: cfg.People, Units: cfg.Units, Faults: f})
		return s.Core, nil
	case SystemSMS:
		s.SMS = smssim.New(smssim.Config{Seed: cfg.Seed, Faults: f})
		s.closers = append(s.closers, s.SMS.Close)
		return s.SMS, nil
	case SystemProvince:
		pc := provsim.Config{Seed: cfg.Seed, Faults: f}
		if s.Core != nil {
			pc.Lookup = s.Core.RealName // the province knows the people the core knows
		}
		s.Province = provsim.New(pc)
		s.closers = append(s.closers, s.Province.Close)
		return s.Province, nil
	case SystemPayment:
		s.Payment = paysim.New(paysim.Config{Seed: cfg.Seed, Faults: f})
		s.closers = append(s.closers, s.Payment.Close)
		return s.Payment, nil
	case SystemWeChat:
		s.WeChat = wechatsim.New(wechatsim.Config{Seed: cfg.Seed, Faults: f})
		return s.WeChat, nil
	case SystemCounter:
		if deps.DB == nil {
			return nil, errors.New("the counter simulator keeps its cases in a database and got none")
		}
		cs, err := countersim.New(context.Background(), countersim.Config{DB: deps.DB, WebhookURL: deps.CounterWebhookURL,
			AutoStaff: cfg.CounterAutoStaff, StepDelay: cfg.CounterStepDelay, Faults: f, Seed: cfg.Seed, Logger: deps.Logger})
		if err != nil {
			return nil, fmt.Errorf("counter simulator: %w", err)
		}
		s.Counter = cs
		s.closers = append(s.closers, cs.Close)
		return cs, nil
	case SystemEmployment:
		s.Jobs = empsim.New(empsim.Config{Seed: cfg.Seed, Faults: f})
		return s.Jobs, nil
	}
	return nil, errors.New("no simulator for " + name)
}

// Close stops every simulator.
func (s *Simulators) Close(ctx context.Context) error {
	var errs []error
	for _, srv := range s.servers {
		errs = append(errs, srv.Close(ctx))
	}
	for _, c := range s.closers {
		c()
	}
	return errors.Join(errs...)
}
