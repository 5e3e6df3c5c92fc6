package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	coresim "github.com/dandong-hrss/hrss/integrations/insurance/sim"
)

// Mix is the peak-morning scenario mix: next hands out the next request of
// the mix, hot the hottest query alone.
type Mix struct {
	next, hot Source
	hotApp    Source // the app's hottest query, over every app session
	warmHot   func() // puts the hottest queries' answers in the cache
	hotAppCap int    // the most req/s the app sessions carry within their budgets
	channels  []runner
	cum       []float64 // cumulative shares of the channels
	expect    map[string][]int
	setup     SetupSummary
	keeper    *keeper
}

// The statuses of a person at the business core, as PersonAt names them.
const (
	statusEmployed   = "在职"
	statusRetired    = "退休"
	statusUnemployed = "失业"
	statusFlexible   = "灵活就业"
)

// citizen is a person of the simulated city the test acts as.
type citizen struct {
	idx              int
	id, name, status string
}

// city draws the people of the test from the 2.45 million by a Zipf law
// (s = 1.1 over -users ranks spread across the city): a few are hot, most
// are cold. Each channel draws from its own stream.
type city struct {
	sim   *coresim.Sim
	seed  uint64
	users int
}

func (c *city) stream(n uint64) func() citizen {
	zipf := rand.NewZipf(rand.New(rand.NewPCG(c.seed, n)), 1.1, 1, uint64(max(c.users, 2)-1))
	return func() citizen { return c.atRank(zipf.Uint64()) }
}

// atRank is the person of a rank of the Zipf law: ranks spread over the
// whole city.
func (c *city) atRank(rank uint64) citizen {
	idx := int((rank * 2654435761) % uint64(coresim.DefaultPeople))
	id, name, status := c.sim.PersonAt(idx)
	return citizen{idx: idx, id: id, name: name, status: status}
}

// hotPeople is how many of the hottest people the hottest query reads.
const hotPeople = 20

// planner grows a channel's list of planned sessions on demand.
type planner[S any] struct {
	list []S
	add  func() (S, bool) // the next session, or false when none can be had
}

func (p *planner[S]) first(n int) []S {
	for tries := 0; len(p.list) < n && tries < 50*n+1000; tries++ {
		if s, ok := p.add(); ok {
			p.list = append(p.list, s)
		}
	}
	return p.list[:min(n, len(p.list))]
}

// newPeakMix sets up the sessions the mix needs before anything is
// measured — kiosks with cards read, app accounts signed in and bound,
// WeChat followers bound, unit operators signed in — as many of each as
// keeps every subject within its rate budget at the highest rate the run
// will try (loadtest/README.md).
func newPeakMix(o options) (*Mix, error) {
	token, err := adminToken(o)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	base := strings.TrimRight(o.target, "/")
	sm := sims{sms: strings.TrimRight(o.smsAdmin, "/"), wechat: strings.TrimRight(o.wechatFake, "/"), province: strings.TrimRight(o.provinceURL, "/")}
	ct := &city{sim: coresim.New(coresim.Config{Seed: o.seed}), seed: o.seed, users: o.users}
	rate := float64(o.sessionRate())
	run := fmt.Sprintf("%05d", time.Now().Unix()%100000)

	kiosks := &channel[*kiosk]{name: "kiosk", share: o.shares.kiosk, subject: "device", perMin: o.budgets.device, kinds: kioskKinds(base)}
	apps := &channel[*appSession]{name: "app", share: o.shares.app, subject: "person", perMin: o.budgets.person, kinds: appKinds(base)}
	wx := &channel[*wechatSession]{name: "wechat", share: o.shares.wechat, subject: "person", perMin: o.budgets.person, kinds: wechatKinds(base)}
	ent := &channel[*operator]{name: "enterprise", share: o.shares.enterprise, subject: "operator", perMin: o.budgets.operator, kinds: enterpriseKinds(base)}

	// Plan: who holds which session, and how many sessions each channel
	// needs. Nothing is sent yet.
	kioskPeople := ct.stream(7)
	kp := &planner[*kiosk]{add: func() (*kiosk, bool) {
		p := kioskPeople()
		return &kiosk{holder: p, flexible: p.status == statusFlexible, planned: true}, true
	}}
	taken := map[int]bool{} // a person has one app account and one WeChat binding at most, not both
	appPeople := ct.stream(11)
	ap := &planner[*appSession]{add: func() (*appSession, bool) {
		p := appPeople()
		if taken[p.idx] {
			return nil, false
		}
		taken[p.idx] = true
		return &appSession{holder: p, phone: appPhone(p.idx), planned: true}, true
	}}
	wxPeople := ct.stream(12)
	wp := &planner[*wechatSession]{add: func() (*wechatSession, bool) {
		p := wxPeople()
		if taken[p.idx] {
			return nil, false
		}
		rec, err := coreRecord(ct.sim, p.id)
		if err != nil || rec.Phone == "" {
			return nil, false // binding by SMS needs a phone on record
		}
		taken[p.idx] = true
		return &wechatSession{holder: p, phone: rec.Phone, openID: wechatOpenID(p.idx)}, true
	}}
	unitPeople := ct.stream(13)
	units := map[string]bool{}
	var opsFromFile []*operator
	if o.operatorsFile != "" {
		if opsFromFile, err = readOperators(o.operatorsFile); err != nil {
			return nil, err
		}
	}
	op := &planner[*operator]{add: func() (*operator, bool) {
		if o.operatorsFile != "" {
			if len(opsFromFile) == 0 {
				return nil, false
			}
			next := opsFromFile[0]
			opsFromFile = opsFromFile[1:]
			next.planned = true
			return next, true
		}
		p := unitPeople()
		rec, err := coreRecord(ct.sim, p.id)
		if err != nil || rec.UnitCode == "" || units[rec.UnitCode] {
			return nil, false
		}
		units[rec.UnitCode] = true
		return &operator{unit: rec.UnitCode, name: operatorName, phone: operatorPhone(rec.UnitCode), password: operatorPassword,
			device: "lt-ent-" + rec.UnitCode, planned: true}, true
	}}
	// Unit operators are provisioned through the back office; if the
	// server cannot, the enterprise channel is left out and its share goes
	// to the others before anything is counted.
	var entNote string
	if ent.share > 0 && o.operatorsFile == "" {
		if first := op.first(1); len(first) == 1 {
			if err := first[0].provision(base, token); errors.Is(err, errRouteMissing) {
				entNote = "enterprise channel left out: the server cannot provision unit operators over HTTP (" + err.Error() + "); see loadtest/README.md"
				fmt.Fprintln(os.Stderr, "  "+entNote)
				ent.share = 0
			}
		}
	}
	if total := kiosks.share + apps.share + wx.share + ent.share; total > 0 {
		for _, s := range []*float64{&kiosks.share, &apps.share, &wx.share, &ent.share} {
			*s = *s * 100 / total
		}
	}
	kiosks.size(rate, o.budgetUse, o.devices, 0, kp.first)
	// The hottest query reads the hottest people's overview at kiosks
	// holding their cards: the mix's kiosks that do, and with -baseline as
	// many more as keep every device within its budget at the session rate
	// (kiosks of their own, left out of the mix).
	hotIdx := map[int]bool{}
	var hotHolders []citizen
	for r := range uint64(hotPeople) {
		p := ct.atRank(r)
		hotIdx[p.idx] = true
		hotHolders = append(hotHolders, p)
	}
	var hotKiosks []*kiosk
	for _, k := range kiosks.sessions {
		if hotIdx[k.holder.idx] {
			hotKiosks = append(hotKiosks, k)
		}
	}
	var extra []*kiosk
	if o.baseline {
		for i := len(hotKiosks); i < sessionsFor(rate, 1, o.budgetUse, o.budgets.device); i++ {
			p := hotHolders[i%len(hotHolders)]
			extra = append(extra, &kiosk{holder: p, flexible: p.status == statusFlexible, planned: true, hotOnly: true})
		}
	}
	apps.size(rate, o.budgetUse, o.appSessions, 0, ap.first)
	wx.size(rate, o.budgetUse, o.wechatSessions, 0, wp.first)
	if ent.share > 0 {
		ent.size(rate, o.budgetUse, o.operators, 0, op.first)
	}
	fmt.Fprintf(os.Stderr, "setting up for %.0f req/s within %.0f%% of each budget: %d kiosks (and %d for the hottest query), %d app, %d WeChat, %d operators\n",
		rate, 100*o.budgetUse, kiosks.count(), len(extra), apps.count(), wx.count(), ent.count())

	w := o.setupWorkers
	var k []*kiosk
	k, err = setupKiosks(append(kiosks.sessions, extra...), base, token, run, sm, w)
	if err != nil {
		return nil, err
	}
	var mixKiosks []*kiosk
	hotKiosks = hotKiosks[:0]
	for _, kk := range k {
		if !kk.hotOnly {
			mixKiosks = append(mixKiosks, kk)
		}
		if hotIdx[kk.holder.idx] {
			hotKiosks = append(hotKiosks, kk)
		}
	}
	if len(hotKiosks) == 0 {
		hotKiosks = mixKiosks
	}
	kiosks.keep(mixKiosks)
	a, err := parallel("app sessions", apps.sessions, w, 0.02, func(s *appSession) error {
		if err := s.signIn(base, sm); err != nil {
			return err
		}
		s.planned = false
		return mintFace(sm, &s.face, s.holder)
	})
	if err != nil {
		return nil, err
	}
	apps.keep(a)
	fmt.Fprintf(os.Stderr, "  %d app sessions after %s\n", len(a), time.Since(start).Round(time.Second))
	x, err := parallel("WeChat sessions", wx.sessions, w, 0.02, func(s *wechatSession) error { return s.signIn(base, sm) })
	if err != nil {
		return nil, err
	}
	wx.keep(x)
	fmt.Fprintf(os.Stderr, "  %d WeChat sessions after %s\n", len(x), time.Since(start).Round(time.Second))
	if ent.share > 0 && ent.count() > 0 {
		ops, err := setupOperators(ent.sessions, base, token, o.operatorsFile == "", sm, w)
		switch {
		case errors.Is(err, errRouteMissing):
			entNote = "enterprise channel left out: the server cannot provision unit operators over HTTP (" + err.Error() + "); see loadtest/README.md"
			fmt.Fprintln(os.Stderr, "  "+entNote)
			ops = nil
		case err != nil:
			return nil, err
		}
		ent.keep(ops)
	}
	if err := rateTickets(kiosks.sessions, ent.sessions, base, w); err != nil {
		return nil, err
	}
	kiosks.build()
	ent.build()

	m := &Mix{expect: map[string][]int{}}
	// A channel left out (no sessions) leaves its share to the others.
	total := 0.0
	for _, c := range []runner{kiosks, apps, wx, ent} {
		if c.count() > 0 {
			total += c.percent()
		}
	}
	for _, c := range []runner{kiosks, apps, wx, ent} {
		if c.count() == 0 {
			continue
		}
		sum := c.summary(rate * 100 / total)
		sum.Share = c.percent() * 100 / total
		m.channels = append(m.channels, c)
		upTo := sum.Share
		if len(m.cum) > 0 {
			upTo += m.cum[len(m.cum)-1]
		}
		m.cum = append(m.cum, upTo)
		m.setup.Channels = append(m.setup.Channels, sum)
		c.expected(m.expect)
	}
	if len(m.channels) == 0 {
		return nil, errors.New("no channel has sessions")
	}
	m.setup.Duration = time.Since(start)
	m.setup.SessionRate = rate
	m.setup.BudgetUse = o.budgetUse
	m.setup.Note = entNote
	fmt.Fprintf(os.Stderr, "set up in %s: %s\n", m.setup.Duration.Round(time.Second), m.setup.line())
	cs := m.setup.categoryShares()
	fmt.Fprintf(os.Stderr, "expected mix: query %.1f%%, catalog %.1f%%, submission %.1f%%, rating %.1f%%\n",
		cs[string(catQuery)], cs[string(catCatalog)], cs[string(catSubmit)], cs[string(catRate)])

	var seq atomic.Uint64
	pool := sync.Pool{New: func() any { return newRand(o.seed, 100+seq.Add(1)) }}
	m.next = func() Request {
		rng := pool.Get().(*rnd)
		defer pool.Put(rng)
		x := rng.Float64() * m.cum[len(m.cum)-1]
		for i, c := range m.channels {
			if x < m.cum[i] || i == len(m.channels)-1 {
				return c.next(rng)
			}
		}
		panic("unreachable")
	}
	// The hottest authenticated query: the overview of the hottest people,
	// spread over the kiosks holding their cards so that no device nears
	// its budget; warmHot puts every answer in the cache first.
	m.hot = func() Request {
		rng := pool.Get().(*rnd)
		defer pool.Put(rng)
		kk := hotKiosks[rng.IntN(len(hotKiosks))]
		r := kk.request("GET", "/kiosk/v1/person/overview", nil, nil)
		r.Route, r.Channel, r.Category = "GET /kiosk/v1/person/overview", "kiosk", catQuery
		return r
	}
	// The app's hottest query: the pension account, over every app
	// session (each its own person: the Zipf law's hot ones among them).
	if n := len(apps.sessions); n > 0 {
		m.hotApp = func() Request {
			rng := pool.Get().(*rnd)
			defer pool.Put(rng)
			s := apps.sessions[rng.IntN(n)]
			r := s.request("GET", "/app/v1/pension/account", nil, base)
			r.Route, r.Channel, r.Category = "GET /app/v1/pension/account", "app", catQuery
			return r
		}
		m.hotAppCap = int(float64(n) * o.budgetUse * float64(o.budgets.person) / 60)
	}
	m.warmHot = func() {
		seen := map[int]bool{}
		var one []*kiosk
		for _, kk := range hotKiosks {
			if !seen[kk.holder.idx] {
				seen[kk.holder.idx] = true
				one = append(one, kk)
			}
		}
		parallel("warming the hottest query", one, w, 1, func(kk *kiosk) error {
			_, _, err := send(kk.request("GET", "/kiosk/v1/person/overview", nil, nil))
			return err
		})
		parallel("warming the app's hottest query", apps.sessions, w, 1, func(s *appSession) error {
			_, _, err := send(s.request("GET", "/app/v1/pension/account", nil, base))
			return err
		})
	}
	m.keeper = startKeeper(base, sm, k, apps.sessions, w)
	return m, nil
}

// setupKiosks registers the kiosks, reads each one's card, finds the base
// tier a flexible worker may change to and files two changes to rate
// later, and gets a pensioner's face checked for certifying.
func setupKiosks(ks []*kiosk, base, token, run string, sm sims, workers int) ([]*kiosk, error) {
	for i, k := range ks {
		k.base, k.id = base, kioskID(run, i)
	}
	start := time.Now()
	ok, err := parallel("kiosks", ks, workers, 0.02, func(k *kiosk) error {
		reg, err := registerKiosk(base, token, k.id)
		if err != nil {
			return err
		}
		k.secret = reg.secret
		if err := k.readCard(); err != nil {
			return err
		}
		if k.flexible {
			if err := k.findTier(); err != nil {
				return err
			}
			k.flexible = k.tier != 0
		}
		if k.flexible {
			for range 2 {
				id, err := k.fileTier()
				if err != nil {
					return err
				}
				k.tickets.filed = append(k.tickets.filed, id)
			}
		}
		k.planned = false
		return mintFace(sm, &k.face, k.holder)
	})
	if err == nil {
		fmt.Fprintf(os.Stderr, "  %d kiosks with card sessions in %s\n", len(ok), time.Since(start).Round(time.Second))
	}
	return ok, err
}

// setupOperators provisions the operators (unless they came from a file)
// and signs them in, each filing two applications to rate later.
func setupOperators(ops []*operator, base, token string, provision bool, sm sims, workers int) ([]*operator, error) {
	start := time.Now()
	if provision {
		if err := ops[0].provision(base, token); err != nil {
			return nil, err
		}
	}
	// Signing in hashes the password (argon2id, 19 MiB): a few at a time.
	ok, err := parallel("operators", ops, min(workers, 8), 0.02, func(op *operator) error {
		if provision {
			if err := op.provision(base, token); err != nil {
				return err
			}
		}
		if err := op.signIn(base, sm); err != nil {
			return err
		}
		rng := newRand(uint64(len(op.unit)), 5)
		for range 2 {
			id, err := op.file(base, rng)
			if err != nil {
				return err
			}
			op.tickets.filed = append(op.tickets.filed, id)
		}
		op.planned = false
		return nil
	})
	if err == nil {
		fmt.Fprintf(os.Stderr, "  %d operators signed in in %s\n", len(ok), time.Since(start).Round(time.Second))
	}
	return ok, err
}

// rateTickets waits for the counter core to take in the applications
// filed in setting up and turns each stage open to rating into a ticket.
// The counter simulator's staff accept and finish a case in seconds; what
// is not accepted within a minute is simply not rated.
func rateTickets(ks []*kiosk, ops []*operator, base string, workers int) error {
	type filed struct {
		stages func(id string) ([]string, error)
		t      *tickets
	}
	var waiting []filed
	for _, k := range ks {
		if len(k.tickets.filed) > 0 {
			waiting = append(waiting, filed{k.rateStages, &k.tickets})
		}
	}
	for _, op := range ops {
		if len(op.tickets.filed) > 0 {
			waiting = append(waiting, filed{func(id string) ([]string, error) { return op.rateStages(base, id) }, &op.tickets})
		}
	}
	if len(waiting) == 0 {
		return nil
	}
	fmt.Fprintf(os.Stderr, "  waiting for the counter core to take in what %d sessions filed\n", len(waiting))
	deadline := time.Now().Add(time.Minute)
	total := 0
	for _, f := range waiting {
		total += len(f.t.filed)
	}
	for len(waiting) > 0 {
		time.Sleep(3 * time.Second)
		last := time.Now().After(deadline)
		var mu sync.Mutex
		var still []filed
		_, err := parallel("rating tickets", waiting, workers, 0.05, func(f filed) error {
			var list []ticket
			done := true
			for _, id := range f.t.filed {
				stages, err := f.stages(id)
				if err != nil {
					return err
				}
				done = done && len(stages) > 0
				for _, s := range stages {
					list = append(list, ticket{id: id, stage: s})
				}
			}
			if done || last {
				f.t.list = list
			} else {
				mu.Lock()
				still = append(still, f)
				mu.Unlock()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if last {
			break
		}
		waiting = still
	}
	open := 0
	for _, k := range ks {
		open += k.tickets.len()
	}
	for _, op := range ops {
		open += op.tickets.len()
	}
	fmt.Fprintf(os.Stderr, "  %d applications filed, %d stages open to rating\n", total, open)
	return nil
}

// mintFace has the holder's face checked, if they draw a pension.
func mintFace(sm sims, f *faceToken, holder citizen) error {
	if holder.status != statusRetired {
		return nil
	}
	token, expires, err := sm.faceToken(holder.id, holder.name)
	if err != nil {
		return err
	}
	f.set(token, expires)
	return nil
}

// SetupSummary is what the setting up made, for the report.
type SetupSummary struct {
	Duration    time.Duration    `json:"durationNs"`
	SessionRate float64          `json:"sessionRate"` // req/s the sessions were counted for
	BudgetUse   float64          `json:"budgetUse"`   // share of a budget the busiest session may spend at that rate
	Channels    []ChannelSummary `json:"channels"`
	Note        string           `json:"note,omitempty"`
}

// ChannelSummary is one channel as set up.
type ChannelSummary struct {
	Name         string        `json:"name"`
	Share        float64       `json:"share"` // percent of all requests
	Subject      string        `json:"subject"`
	BudgetPerMin int           `json:"budgetPerMin"`
	Sessions     int           `json:"sessions"`
	BudgetUse    float64       `json:"budgetUse"` // of the busiest session at SessionRate
	Kinds        []KindSummary `json:"kinds"`
}

// KindSummary is one kind of request and its expected share of the channel.
type KindSummary struct {
	Route    string  `json:"route"`
	Category string  `json:"category"`
	Share    float64 `json:"share"`
}

// line is the setup in one line.
func (s SetupSummary) line() string {
	var parts []string
	for _, c := range s.Channels {
		parts = append(parts, fmt.Sprintf("%s %d (%.0f%% of a %s's %d/min at %.0f req/s)",
			c.Name, c.Sessions, 100*c.BudgetUse, c.Subject, c.BudgetPerMin, s.SessionRate))
	}
	return strings.Join(parts, ", ")
}

// categoryShares is the expected share of each category of all requests.
func (s SetupSummary) categoryShares() map[string]float64 {
	out := map[string]float64{}
	var total float64
	for _, c := range s.Channels {
		total += c.Share
	}
	for _, c := range s.Channels {
		for _, k := range c.Kinds {
			out[k.Category] += c.Share / total * k.Share
		}
	}
	return out
}
