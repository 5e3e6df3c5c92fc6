package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// keeper keeps the sessions alive through a long run (find-max and the
// baseline take many minutes): a kiosk's card session ends after two idle
// minutes and ten in all, an app access token after fifteen, an unused
// face-check token after five. The server's rules, not the load test's:
// a real kiosk reads the next card, a real app refreshes its token.
type keeper struct {
	base    string
	sm      sims
	kiosks  []*kiosk
	apps    []*appSession
	workers int
	stop    chan struct{}
	done    sync.WaitGroup
	mu      sync.Mutex // one round at a time
}

func startKeeper(base string, sm sims, kiosks []*kiosk, apps []*appSession, workers int) *keeper {
	k := &keeper{base: base, sm: sm, kiosks: kiosks, apps: apps, workers: workers, stop: make(chan struct{})}
	k.done.Go(func() {
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-k.stop:
				return
			case <-t.C:
				k.round(false)
			}
		}
	})
	return k
}

// prepare readies the sessions for the next phase of the run: kiosks idle
// since the last phase read their card again (between phases, unmeasured).
func (k *keeper) prepare() { k.round(true) }

// close stops the keeper.
func (k *keeper) close() {
	close(k.stop)
	k.done.Wait()
}

// round renews what is about to expire; between phases also the card
// sessions of kiosks idle for more than 90 seconds.
func (k *keeper) round(between bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var cards []*kiosk
	var faces []func() error
	for _, ks := range k.kiosks {
		open, idle := ks.cardAge()
		if open > 9*time.Minute || between && (idle > 90*time.Second || open > 7*time.Minute) {
			cards = append(cards, ks)
		}
		if ks.face.stale() {
			faces = append(faces, func() error { return mintFace(k.sm, &ks.face, ks.holder) })
		}
	}
	var tokens []*appSession
	for _, s := range k.apps {
		if age := s.age(); age > 12*time.Minute || between && age > 9*time.Minute {
			tokens = append(tokens, s)
		}
		if s.face.stale() {
			faces = append(faces, func() error { return mintFace(k.sm, &s.face, s.holder) })
		}
	}
	if len(cards)+len(tokens)+len(faces) == 0 {
		return
	}
	start := time.Now()
	workers := k.workers
	if !between {
		workers = max(2, workers/8) // gently, while a phase runs
	}
	quiet := func(what string, n int, err error) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "  renewing %d %s: %v\n", n, what, err)
		}
	}
	_, err := parallel("card sessions", cards, workers, 1, func(ks *kiosk) error { return ks.readCard() })
	quiet("card sessions", len(cards), err)
	_, err = parallel("app tokens", tokens, workers, 1, func(s *appSession) error { return s.renew(k.base) })
	quiet("app tokens", len(tokens), err)
	_, err = parallel("face tokens", faces, workers, 1, func(f func() error) error { return f() })
	quiet("face tokens", len(faces), err)
	fmt.Fprintf(os.Stderr, "renewed %d card sessions, %d app tokens, %d face tokens in %s\n",
		len(cards), len(tokens), len(faces), time.Since(start).Round(time.Millisecond))
}
