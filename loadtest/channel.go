package main

import (
	"math"
	mrand "math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// rnd is the mix's source of randomness, one per goroutine.
type rnd = mrand.Rand

// category is the grouping of a request: queries, the catalog and
// announcements, submissions, and ratings with certifications.
type category string

const (
	catQuery   category = "query"
	catCatalog category = "catalog"
	catSubmit  category = "submission"
	catRate    category = "rating"
)

var categories = []category{catQuery, catCatalog, catSubmit, catRate}

// kind is one kind of request of a channel, for sessions of type S.
type kind[S any] struct {
	route  string // the route template it is reported under: "GET /app/v1/pension/account"
	cat    category
	weight float64 // its share among the kinds open to a session
	cost   int     // what the server's limiter charges for it
	when   func(S) bool
	make   func(S, *rnd) Request
	expect []int // answers other than 2xx that are right for a well-formed request
}

// channel is one channel of the mix: its share of all requests, who the
// server charges and how much it allows them, its kinds and its sessions.
// A request picks a session uniformly at random, then a kind by weight
// among the kinds open to that session (a pensioner's screens, a flexible
// worker's filing): every session of the channel carries the same number
// of requests, so none nears its budget before the others.
type channel[S any] struct {
	name     string
	share    float64 // percent of all requests
	subject  string  // what the limiter charges: device, person, operator
	perMin   int     // the subject's budget: cost units a minute
	kinds    []kind[S]
	sessions []S
	prof     []int // per session: its profile
	profiles []profile
}

// profile is the kinds open to a group of sessions, with cumulative
// weights to draw from and the mean cost of a request.
type profile struct {
	kinds    []int
	cum      []float64
	cost     float64
	sessions int
}

// build groups the sessions by the kinds open to them.
func (c *channel[S]) build() {
	byMask := map[uint64]int{}
	c.prof = make([]int, len(c.sessions))
	c.profiles = c.profiles[:0]
	for i, s := range c.sessions {
		var mask uint64
		for k, kd := range c.kinds {
			if kd.when == nil || kd.when(s) {
				mask |= 1 << k
			}
		}
		p, ok := byMask[mask]
		if !ok {
			var pr profile
			var sum, cost float64
			for k, kd := range c.kinds {
				if mask&(1<<k) != 0 {
					sum += kd.weight
					cost += kd.weight * float64(kd.cost)
					pr.kinds = append(pr.kinds, k)
					pr.cum = append(pr.cum, sum)
				}
			}
			pr.cost = cost / sum
			p = len(c.profiles)
			byMask[mask] = p
			c.profiles = append(c.profiles, pr)
		}
		c.prof[i] = p
		c.profiles[p].sessions++
	}
}

// maxCost is the highest mean cost of a request over the profiles: the
// sessions that spend their budget fastest.
func (c *channel[S]) maxCost() float64 {
	m := 1.0
	for _, p := range c.profiles {
		m = max(m, p.cost)
	}
	return m
}

// next builds the next request of the channel.
func (c *channel[S]) next(rng *rnd) Request {
	i := rng.IntN(len(c.sessions))
	p := &c.profiles[c.prof[i]]
	x := rng.Float64() * p.cum[len(p.cum)-1]
	j := sort.Search(len(p.cum), func(j int) bool { return p.cum[j] > x })
	k := &c.kinds[p.kinds[min(j, len(p.kinds)-1)]]
	r := k.make(c.sessions[i], rng)
	if r.Route == "" { // a kind may stand in another request (see faceToken.take)
		r.Route, r.Category = k.route, k.cat
	}
	r.Channel = c.name
	return r
}

// sessionsFor is how many subjects carry rate requests a second of mean
// cost each, every one spending at most use of its budget.
func sessionsFor(rate, cost, use float64, perMin int) int {
	return int(math.Ceil(rate * cost / (use * float64(perMin) / 60)))
}

// size picks the number of sessions for the channel's part of rate: draw
// returns the first n sessions planned (people drawn, nothing sent yet),
// and the count grows until the sessions that spend fastest stay within
// use of their budget. want > 0 fixes the count; floor is a least count.
func (c *channel[S]) size(rate, use float64, want, floor int, draw func(n int) []S) {
	rate = rate * c.share / 100
	if want > 0 {
		c.sessions = draw(want)
		c.build()
		return
	}
	n := max(floor, sessionsFor(rate, 1, use, c.perMin), 1)
	for range 6 {
		c.sessions = draw(n)
		c.build()
		need := max(floor, sessionsFor(rate, c.maxCost(), use, c.perMin))
		if need <= n {
			return
		}
		n = need
	}
}

// keep replaces the sessions by those that were set up, and regroups them.
func (c *channel[S]) keep(ok []S) {
	c.sessions = ok
	c.build()
}

// summary describes the channel as set up, for the report: its sessions,
// the share of its budget the busiest session spends at rate requests a
// second in all, and the expected share of each kind.
func (c *channel[S]) summary(rate float64) ChannelSummary {
	s := ChannelSummary{Name: c.name, Share: c.share, Subject: c.subject, BudgetPerMin: c.perMin, Sessions: len(c.sessions)}
	if len(c.sessions) == 0 {
		return s
	}
	s.BudgetUse = rate * c.share / 100 * c.maxCost() / float64(len(c.sessions)) / (float64(c.perMin) / 60)
	shares := make([]float64, len(c.kinds))
	for _, p := range c.profiles {
		f := float64(p.sessions) / float64(len(c.sessions))
		total := p.cum[len(p.cum)-1]
		prev := 0.0
		for j, k := range p.kinds {
			shares[k] += f * (p.cum[j] - prev) / total
			prev = p.cum[j]
		}
	}
	for k, kd := range c.kinds {
		s.Kinds = append(s.Kinds, KindSummary{Route: kd.route, Category: string(kd.cat), Share: 100 * shares[k]})
	}
	return s
}

// expected adds the channel's right non-2xx answers by route to m.
func (c *channel[S]) expected(m map[string][]int) {
	for _, k := range c.kinds {
		for _, st := range k.expect {
			if !slices.Contains(m[k.route], st) {
				m[k.route] = append(m[k.route], st)
			}
		}
	}
}

// runner is a channel whatever its sessions.
type runner interface {
	next(rng *rnd) Request
	summary(rate float64) ChannelSummary
	expected(m map[string][]int)
	count() int
	percent() float64
}

func (c *channel[S]) count() int { return len(c.sessions) }

func (c *channel[S]) percent() float64 { return c.share }

// faceToken is the result token of a face check, waiting for the holder's
// first certification; later certifications send it again and are
// answered with the year's certification, redeeming nothing.
type faceToken struct {
	mu       sync.Mutex
	id       int // in faces, so that the first certification's answer finds it
	token    string
	expires  time.Time
	taken    bool
	sentAt   time.Time
	answered bool
}

// faces are the face tokens by id, for the answers of certifications.
var faces struct {
	sync.Mutex
	list []*faceToken
}

func (f *faceToken) set(token string, expires time.Time) {
	f.mu.Lock()
	if f.id == 0 {
		faces.Lock()
		faces.list = append(faces.list, f)
		f.id = len(faces.list)
		faces.Unlock()
	}
	f.token, f.expires, f.taken, f.answered = token, expires, false, false
	f.mu.Unlock()
}

// faceAnswered marks the first certification of face id answered.
func faceAnswered(id int) {
	faces.Lock()
	var f *faceToken
	if id > 0 && id <= len(faces.list) {
		f = faces.list[id-1]
	}
	faces.Unlock()
	if f != nil {
		f.mu.Lock()
		f.answered = true
		f.mu.Unlock()
	}
}

// ready reports whether there is a token.
func (f *faceToken) ready() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.token != ""
}

// take returns the token, marking it sent. ok is false until the first
// certification has had its answer (reported by the attack, see
// Request.Face) or timed out (answerWithin): the holder waits for it
// before tapping again, and a second request racing the first would redeem
// the token twice.
func (f *faceToken) take() (token string, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.taken {
		f.taken, f.sentAt = true, time.Now()
		return f.token, true
	}
	return f.token, f.answered || time.Since(f.sentAt) > answerWithin
}

// answerWithin is how long a request may take before it counts as failed
// (-timeout), plus a second.
var answerWithin = 11 * time.Second

// stale reports whether the token was never sent and is about to expire,
// so that the keeper fetches another.
func (f *faceToken) stale() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.token != "" && !f.taken && time.Until(f.expires) < 90*time.Second
}

// ticket is one stage of one application open to rating.
type ticket struct{ id, stage string }

// tickets are a session's rating tickets, handed out in turn: the first
// round rates, later rounds are told the stage is rated already.
type tickets struct {
	filed []string // applications filed in setting up
	list  []ticket
	n     atomic.Uint64
}

func (t *tickets) len() int { return len(t.list) }

func (t *tickets) next() ticket { return t.list[(t.n.Add(1)-1)%uint64(len(t.list))] }
