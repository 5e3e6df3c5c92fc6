package sim

import (
	"fmt"
	"sort"

	"github.com/dandong-hrss/hrss/domain"
)

// The ID-number encoding. A GB 11643 number is area code (6) + birth date
// (8) + sequence code (3, odd for men) + check character (1). The simulator
// makes person i's number encode i reversibly, so that a lookup by ID number
// needs no index of 2.45 million rows:
//
//  1. p = F(i), a keyed Feistel permutation of [0, People), so neighbouring
//     indices (neighbours on a unit's roll) get unrelated birth dates.
//  2. p picks the birth day: the days from 1936-01-01 to 2006-12-31 each own
//     a run of consecutive p values, run lengths following a plausible age
//     pyramid (cum[d] is where day d's run starts). k = p − cum[d] is the
//     slot within the day.
//  3. x = (a_d·k + b_d) mod 3700, an affine bijection keyed by the day, picks
//     the area and the sequence: x falls in one area's share of the 3700
//     slots (振兴区 900, 东港市 700, …), and o, its offset in that share,
//     becomes the sequence code (a_A·o + b_A) mod 1000, keyed by area. The
//     parity of the sequence code, and so the sex, comes out of the mixing.
//
// Decoding runs the steps backwards: area and sequence give o and x, the
// birth date gives d, x gives k, cum[d] + k gives p, F⁻¹(p) gives i. A
// number fails to decode — and the person is NotFound — when its area is not
// one of the six, its birth day is out of range, o falls outside the area's
// share, k falls outside the day's run, or the check character is wrong.
// Only numbers the simulator generated decode, each to exactly one index.

// area is one of Dandong's county-level divisions with its share of each
// birth day's 3700 slots, roughly by insured population.
type area struct {
	code, name string
	share      int
}

var areas = [...]area{
	{"210602", "元宝区", 600},
	{"210603", "振兴区", 900},
	{"210604", "振安区", 500},
	{"210624", "宽甸满族自治县", 400},
	{"210681", "东港市", 700},
	{"210682", "凤城市", 600},
}

// areaWeights are the shares as pick weights, for units.
var areaWeights = func() []int {
	w := make([]int, len(areas))
	for a, ar := range areas {
		w[a] = ar.share
	}
	return w
}()

const slotsPerDay = 3700 // the sum of the area shares

// The birth dates the simulator hands out: insured people aged about 18 to
// 90 in the mid-2020s.
var (
	firstBirth = dayNumber(1936, 1, 1)
	lastBirth  = dayNumber(2006, 12, 31)
)

// birthYearWeight is the relative number of insured people born in year y:
// a bulge of people in their thirties to fifties, fewer young entrants and
// thinning cohorts of the old.
func birthYearWeight(y int) int {
	switch {
	case y < 1946:
		return 4 + (y-1936)*2 // 4..22
	case y < 1956:
		return 20 + (y-1946)*2 // 20..38
	case y < 1966:
		return 45
	case y < 1995:
		return 100
	case y < 2000:
		return 85
	}
	return 70 - (y-2000)*8 // 70..22
}

// idCodec turns person indices into ID numbers and back.
type idCodec struct {
	seed  uint64
	n     int
	perm  feistel
	cum   []int32 // cum[d]: the first p born on day firstBirth+d; cum[days] == n
	seqs  [len(areas)]affine
	start [len(areas) + 1]int // area a owns slots [start[a], start[a+1])
}

func newIDCodec(seed uint64, n int) (*idCodec, error) {
	c := &idCodec{seed: seed, n: n, perm: newFeistel(n, seed)}
	for a, ar := range areas {
		c.seqs[a] = newAffine(1000, hash(seed, tagSeq, a))
		c.start[a+1] = c.start[a] + ar.share
	}
	days := lastBirth - firstBirth + 1
	weights := make([]int64, days+1) // weights[d]: the weight of days before d
	for d := 0; d < days; d++ {
		weights[d+1] = weights[d] + int64(birthYearWeight(civil(firstBirth+d).y))
	}
	total := weights[days]
	c.cum = make([]int32, days+1)
	for d := 0; d <= days; d++ {
		c.cum[d] = int32(int64(n) * weights[d] / total)
		if d > 0 && c.cum[d]-c.cum[d-1] > slotsPerDay {
			return nil, fmt.Errorf("%d people is more than the ID encoding holds", n)
		}
	}
	return c, nil
}

func (c *idCodec) dayMix(d int) affine { return newAffine(slotsPerDay, hash(c.seed, tagDay, d)) }

// idParts is what an ID number says about its holder.
type idParts struct {
	area  int
	birth date
	seq   int
}

func (p idParts) male() bool { return p.seq%2 == 1 }

// parts derives the ID number of person i, without building the string.
func (c *idCodec) parts(i int) idParts {
	p := c.perm.forward(i)
	d := sort.Search(len(c.cum), func(d int) bool { return int(c.cum[d]) > p }) - 1
	x := int(c.dayMix(d).forward(uint64(p - int(c.cum[d]))))
	a := 0
	for x >= c.start[a+1] {
		a++
	}
	seq := int(c.seqs[a].forward(uint64(x - c.start[a])))
	return idParts{area: a, birth: civil(firstBirth + d), seq: seq}
}

// appendID appends the 18-character number of parts p to b.
func appendID(b []byte, p idParts) []byte {
	start := len(b)
	b = append(b, areas[p.area].code...)
	b = appendDigits(b, p.birth.y, 4)
	b = appendDigits(b, p.birth.m, 2)
	b = appendDigits(b, p.birth.d, 2)
	b = appendDigits(b, p.seq, 3)
	return append(b, domain.IDCheckDigit(string(b[start:])))
}

// id returns the ID number of person i.
func (c *idCodec) id(i int) string {
	var a [18]byte
	return string(appendID(a[:0], c.parts(i)))
}

// index recovers the person index from an ID number; ok is false for any
// number the simulator did not generate.
func (c *idCodec) index(id string) (i int, ok bool) {
	if len(id) != 18 {
		return 0, false
	}
	if check := domain.IDCheckDigit(id[:17]); check == 0 || check != id[17] {
		return 0, false
	}
	a := 0
	for a < len(areas) && areas[a].code != id[:6] {
		a++
	}
	if a == len(areas) {
		return 0, false
	}
	y, m, dd := digits(id[6:10]), digits(id[10:12]), digits(id[12:14])
	day := dayNumber(y, m, dd)
	if m < 1 || m > 12 || civil(day) != (date{y, m, dd}) || day < firstBirth || day > lastBirth {
		return 0, false
	}
	d := day - firstBirth
	o := int(c.seqs[a].inverse(uint64(digits(id[14:17]))))
	if o >= areas[a].share {
		return 0, false
	}
	k := int(c.dayMix(d).inverse(uint64(c.start[a] + o)))
	if k >= int(c.cum[d+1]-c.cum[d]) {
		return 0, false
	}
	return c.perm.inverse(int(c.cum[d]) + k), true
}

// appendDigits appends v as exactly width decimal digits.
func appendDigits(b []byte, v, width int) []byte {
	for p := width - 1; p >= 0; p-- {
		d := v
		for range p {
			d /= 10
		}
		b = append(b, byte('0'+d%10))
	}
	return b
}

// digits converts a run of ASCII digits already checked by IDCheckDigit.
func digits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
