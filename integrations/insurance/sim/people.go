package sim

import (
	"strconv"

	"github.com/dandong-hrss/hrss/integrations/insurance"
)

// status is a person's standing, as the core codes it.
type status int

const (
	employed status = iota
	retired
	unemployed
	flexible
)

func (s status) wire() string {
	return [...]string{insurance.PersonEmployed, insurance.PersonRetired,
		insurance.PersonUnemployed, insurance.PersonFlexible}[s]
}

// label is the Chinese word, for samples.
func (s status) label() string { return [...]string{"在职", "退休", "失业", "灵活就业"}[s] }

// recordsStart is the first month of the digitised contribution record;
// service before it counts as deemed contributions (视同缴费).
var recordsStart = monthOf(1996, 1)

// profile is the numeric part of a person: everything the money depends
// on, derived without building a string, so that a unit's assessment can
// walk thousands of them.
type profile struct {
	i         int
	id        idParts
	status    status
	unit      int   // the unit whose roll the person is on; -1 if none
	former    int   // an unemployed person's last unit; -1 otherwise
	selfPaid  bool  // contributions are flexible employment's, paid alone
	workStart month // started work; deemed contributions count from here
	start     month // first digitised contribution month
	end       month // first month without contributions (retirement, job loss); 0 while contributing
	pensionAt month // first month past pension age: the pension starts here
	retireAge int
	factor    int  // the base as basis points of the average wage, before yearly jitter
	tier      int  // the base tier a flexible worker chose, in percent
	lateFee   bool // a flexible worker who has not paid last month yet
	tierFrom  month
	newTier   int // the overlay's tier from tierFrom on; 0 if unchanged
}

// profile derives person i.
func (s *Sim) profile(i int) profile {
	p := profile{i: i, id: s.ids.parts(i), unit: -1, former: -1}
	st := newStream(s.seed, tagPerson, i)
	p.retireAge = 60
	if !p.id.male() {
		p.retireAge = 50 + 5*st.intn(2) // workers at 50, cadres at 55
	}
	born := p.id.birth.month()
	p.pensionAt = born + month(p.retireAge*12) + 1
	p.workStart = born + month((18+st.intn(7))*12+st.intn(12))
	if latest := s.now - 3 - month(st.intn(6)); p.workStart > latest {
		p.workStart = max(latest, born+16*12)
	}
	p.start = max(p.workStart, recordsStart)
	p.factor = drawFactor(&st)
	p.tier = baseTiers[st.pick(baseTierWeights)]
	p.lateFee = st.chance(2000)
	if i < s.onRolls {
		p.unit = s.unitOf(i)
	}
	s.settleStatus(&p, &st)
	return p
}

// settleStatus decides employed, retired, unemployed or flexible.
func (s *Sim) settleStatus(p *profile, st *stream) {
	switch {
	case p.pensionAt <= s.now:
		p.status, p.end, p.selfPaid = retired, p.pensionAt, p.unit < 0
	case p.unit >= 0:
		p.status = employed
	case st.chance(3000) && s.loseJob(p, st):
		p.status = unemployed
	default:
		p.status, p.selfPaid = flexible, true
	}
	if p.selfPaid {
		p.factor = p.tier * 100
	}
	if p.status == flexible {
		p.tierFrom, p.newTier = s.tierOverlay(p.i)
	}
}

// loseJob makes p someone who lost a job at a unit 1–30 months ago, if p
// had worked there at least a year; it reports whether it did.
func (s *Sim) loseJob(p *profile, st *stream) bool {
	lost := s.now - month(1+st.intn(30))
	if lost-p.start < 12 {
		return false
	}
	p.end, p.former = lost, st.intn(s.units)
	return true
}

// drawFactor draws where a person's wage sits against the average: many at
// the 60% floor, a long tail up to the 300% ceiling.
func drawFactor(st *stream) int {
	if st.chance(4000) {
		return 6000
	}
	u := st.intn(1000)
	return 6000 + u*u/1000*u/1000*24
}

// paying reports whether p contributes in month m (up to and including the
// current month).
func (p *profile) paying(m month, now month) bool {
	return m >= p.start && m <= now && (p.end == 0 || m < p.end)
}

// unitAt returns the unit p contributes through, or -1 when self-paid.
func (p *profile) unitAt() int {
	if p.selfPaid {
		return -1
	}
	if p.former >= 0 {
		return p.former
	}
	return p.unit
}

// base returns p's monthly contribution base in month m, in fen: the chosen
// tier for flexible employment, otherwise the wage factor with a yearly
// jitter, kept between 60% and 300% of the average wage and rounded to the
// yuan as units declare it.
func (s *Sim) base(p *profile, m month) int64 {
	avg := averageWage(m.year())
	if p.selfPaid {
		tier := p.tier
		if p.newTier != 0 && m >= p.tierFrom {
			tier = p.newTier
		}
		return avg * int64(tier) / 100
	}
	f := p.factor
	if f > 6000 {
		f += int(hash(s.seed, tagYear, p.i*256+m.year()%256)%1001) - 500
		f = min(max(f, 6000), 30000)
	}
	return avg * int64(f) / 10000 / 100 * 100
}

// person is a person with the words: ID number, name, phone.
type person struct {
	profile
	idNumber, name, phone, personalNo string
}

// person derives person i in full.
func (s *Sim) person(i int) person {
	p := person{profile: s.profile(i)}
	st := newStream(s.seed, tagPersonalNo, i)
	var b [18]byte
	p.idNumber = string(appendID(b[:0], p.id))
	p.name = name(&st, p.id.male())
	if st.chance(8500) {
		prefix := [...]string{"13", "15", "18"}[st.intn(3)]
		p.phone = prefix + strconv.Itoa(100_000_000+st.intn(900_000_000))
	}
	p.personalNo = "2106" + strconv.Itoa(int(personalNoSpace + s.personalNo.forward(uint64(i))))[1:]
	return p
}

// personalNoSpace bounds personal numbers: "2106" and nine digits.
const personalNoSpace = 1_000_000_000

// lookup finds the person with this ID number.
func (s *Sim) lookup(id string) (person, bool) {
	i, ok := s.ids.index(id)
	if !ok {
		return person{}, false
	}
	return s.person(i), true
}
