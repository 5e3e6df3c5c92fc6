package sim

import (
	"math/bits"
	"sort"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/insurance"
)

// layOutRolls splits the persons on rolls, [0, onRolls), into one contiguous
// run per unit. Run lengths are heavy-tailed like real employers: each unit
// draws a weight 2^k (k geometric, capped at 10) and gets one person plus a
// share of the rest in proportion to its weight, so most units have a
// handful of staff and a few have thousands. The table is 4 bytes a unit.
func (s *Sim) layOutRolls() {
	weights := make([]int64, s.units+1) // weights[j]: the weight of units before j
	for j := 0; j < s.units; j++ {
		r := hash(s.seed, tagUnitSize, j)
		k := min(bits.TrailingZeros64(r), 10)
		w := int64(1)<<k + int64(r>>40)%(int64(1)<<k)
		weights[j+1] = weights[j] + w
	}
	spare, total := int64(s.onRolls-s.units), weights[s.units]
	s.rollStart = make([]int32, s.units+1)
	for j := 0; j <= s.units; j++ {
		s.rollStart[j] = int32(int64(j) + spare*weights[j]/total)
	}
}

// unitOf returns the unit whose roll holds person i (i < onRolls).
func (s *Sim) unitOf(i int) int {
	return sort.Search(s.units, func(j int) bool { return int(s.rollStart[j+1]) > i })
}

// roll returns the person indices [from, to) of unit j's roll.
func (s *Sim) roll(j int) (from, to int) { return int(s.rollStart[j]), int(s.rollStart[j+1]) }

// unitKind is how a unit registered.
type unitKind int

const (
	enterprise  unitKind = iota
	govBody              // 机关
	institution          // 事业单位
)

// creditPrefix is the registering authority and kind of the credit code.
func (k unitKind) creditPrefix() string { return [...]string{"91", "11", "12"}[k] }

func (k unitKind) wire() string {
	if k == enterprise {
		return insurance.UnitEnterprise
	}
	return insurance.UnitInstitution
}

// unitProfile is the numeric part of a unit, cheap enough to derive for
// every person on its roll.
type unitProfile struct {
	j        int
	kind     unitKind
	area     int
	riskRate int // work-injury rate, basis points
	arrears  int // months left unpaid before this one; 0 for a unit in good standing
}

// unitProfile derives unit j.
func (s *Sim) unitProfile(j int) (unitProfile, stream) {
	st := newStream(s.seed, tagUnit, j)
	u := unitProfile{j: j, area: st.pick(areaWeights)}
	switch k := st.intn(100); {
	case k < 3:
		u.kind = govBody
	case k < 8:
		u.kind = institution
	}
	u.riskRate = riskRates[st.pick(riskWeights)]
	if u.kind != enterprise {
		u.riskRate = riskRates[0]
	}
	if st.chance(300) && u.kind == enterprise {
		u.arrears = 2 + st.intn(5)
	}
	return u, st
}

// unit is a unit with its words.
type unit struct {
	unitProfile
	code, name, address, legalRep string
}

// unit derives unit j in full.
func (s *Sim) unit(j int) unit {
	p, st := s.unitProfile(j)
	u := unit{unitProfile: p, code: s.unitCode(p)}
	if p.kind == enterprise {
		u.name = enterpriseName(&st, p.area)
	} else {
		u.name = publicName(&st, p.area, p.kind == govBody)
	}
	u.address = address(&st, p.area)
	u.legalRep = domain.MaskName(name(&st, st.chance(7000)))
	return u
}

// unitCode returns the credit code of unit u.
func (s *Sim) unitCode(u unitProfile) string {
	return creditCode(u.kind.creditPrefix(), u.area, s.orgBody.forward(uint64(u.j)))
}

// lookupUnit finds the unit with this credit code.
func (s *Sim) lookupUnit(code string) (unit, bool) {
	j, ok := s.unitIndex(code)
	if !ok {
		return unit{}, false
	}
	u := s.unit(j)
	return u, u.code == code
}

// inArrears reports whether month m is one a unit in arrears left unpaid.
func (u *unitProfile) inArrears(m, now month) bool {
	return u.arrears > 0 && m < now && m >= now-month(u.arrears)
}
