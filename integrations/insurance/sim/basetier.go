package sim

import "github.com/dandong-hrss/hrss/integrations/insurance"

// tierChange is one entry of the overlay: a flexible worker chose a new
// base tier through the BFF, effective from a month on. Everything else
// about the person stays derived.
type tierChange struct {
	from    month
	percent int
}

// tierOverlay returns the tier person i chose and from when; percent is 0
// when the person never changed it.
func (s *Sim) tierOverlay(i int) (from month, percent int) {
	s.mu.RLock()
	c := s.tiers[i]
	s.mu.RUnlock()
	return c.from, c.percent
}

// setTier records person i's choice from the current month on.
func (s *Sim) setTier(i, percent int) {
	s.mu.Lock()
	s.tiers[i] = tierChange{from: s.now, percent: percent}
	s.mu.Unlock()
}

// offersTier reports whether percent is one of the tiers.
func offersTier(percent int) bool {
	for _, t := range baseTiers {
		if t == percent {
			return true
		}
	}
	return false
}

// tierOptions answers QueryBaseTiers for a flexible worker.
func (s *Sim) tierOptions(p *profile) *insurance.BaseTiersResponse {
	avg := averageWage(s.now.year())
	current := p.tier
	if p.newTier != 0 {
		current = p.newTier
	}
	r := &insurance.BaseTiersResponse{Year: s.now.year(), AverageWage: insurance.FormatYuan(avg),
		Current: current, Tiers: make([]insurance.TierXML, len(baseTiers))}
	for k, t := range baseTiers {
		base := avg * int64(t) / 100
		r.Tiers[k] = insurance.TierXML{Percent: t, Base: insurance.FormatYuan(base),
			Monthly: insurance.FormatYuan(percentOf(base, flexiblePensionRate))}
	}
	return r
}
