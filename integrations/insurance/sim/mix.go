package sim

// The simulator stores no people: every attribute is a pure function of the
// seed and an index, built from the pieces below. All arithmetic is on
// integers, so the same seed gives the same data on every platform.

// splitmix is the SplitMix64 finaliser: a fast, well-mixed bijection of
// uint64, good enough to make synthetic data look random.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// tag keeps the draws of different purposes apart, so that adding a new
// attribute never changes an existing one.
type tag uint64

const (
	tagPerm tag = iota + 1
	tagDay
	tagSeq
	tagPerson
	tagYear
	tagUnit
	tagUnitSize
	tagUnitCode
	tagPersonalNo
	tagInjury
	tagPayment
)

// hash returns the draw for purpose t and index i under seed.
func hash(seed uint64, t tag, i int) uint64 {
	return splitmix(seed ^ splitmix(uint64(t)<<44^uint64(i)))
}

// stream is a sequence of draws for one entity; each call takes the next.
// The order of calls is part of the data's definition: append new draws at
// the end of a derivation, never in the middle.
type stream struct{ x uint64 }

func newStream(seed uint64, t tag, i int) stream { return stream{hash(seed, t, i)} }

func (s *stream) next() uint64 {
	s.x += 0x9e3779b97f4a7c15
	return splitmix(s.x)
}

// intn returns a draw in [0, n); the modulo bias is irrelevant here.
func (s *stream) intn(n int) int { return int(s.next() % uint64(n)) }

// chance reports true with probability bp/10000.
func (s *stream) chance(bp int) bool { return s.intn(10000) < bp }

// pick returns an index into weights with probability proportional to its
// weight.
func (s *stream) pick(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	r := s.intn(total)
	for i, w := range weights {
		if r < w {
			return i
		}
		r -= w
	}
	return len(weights) - 1
}

// feistel is a keyed permutation of [0, n): a four-round Feistel network on
// the smallest even number of bits that holds n-1, walked in cycles until
// the value falls inside [0, n). It is what lets a person's index and their
// place in the birth-date table differ while each stays recoverable from the
// other.
type feistel struct {
	n    uint64
	half uint
	mask uint64
	keys [4]uint64
}

func newFeistel(n int, seed uint64) feistel {
	bits := uint(1)
	for uint64(1)<<bits < uint64(n) {
		bits++
	}
	half := (bits + 1) / 2
	f := feistel{n: uint64(n), half: half, mask: 1<<half - 1}
	for k := range f.keys {
		f.keys[k] = hash(seed, tagPerm, k)
	}
	return f
}

func (f *feistel) rounds(x uint64) uint64 {
	l, r := x>>f.half, x&f.mask
	for _, k := range f.keys {
		l, r = r, l^(splitmix(r^k)&f.mask)
	}
	return l<<f.half | r
}

func (f *feistel) unrounds(x uint64) uint64 {
	l, r := x>>f.half, x&f.mask
	for k := len(f.keys) - 1; k >= 0; k-- {
		l, r = r^(splitmix(l^f.keys[k])&f.mask), l
	}
	return l<<f.half | r
}

// forward maps i in [0, n) to its image in [0, n).
func (f *feistel) forward(i int) int {
	x := f.rounds(uint64(i))
	for x >= f.n {
		x = f.rounds(x)
	}
	return int(x)
}

// inverse undoes forward.
func (f *feistel) inverse(p int) int {
	x := f.unrounds(uint64(p))
	for x >= f.n {
		x = f.unrounds(x)
	}
	return int(x)
}

// affine is the bijection x → (a·x + b) mod m of [0, m), with a coprime to
// m. It scrambles small ranges (sequence codes, organisation codes) cheaply
// and inverts exactly. m·m must fit in a uint64.
type affine struct{ m, a, b, ainv uint64 }

// newAffine derives a and b from draw h.
func newAffine(m, h uint64) affine {
	a := h%(m-1) + 1
	for gcd(a, m) != 1 {
		a = a%(m-1) + 1
	}
	return affine{m: m, a: a, b: (h >> 32) % m, ainv: modInverse(a, m)}
}

func (f affine) forward(x uint64) uint64 { return (f.a*x + f.b) % f.m }
func (f affine) inverse(y uint64) uint64 { return f.ainv * ((y + f.m - f.b) % f.m) % f.m }

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// modInverse returns x with a·x ≡ 1 (mod m), for a coprime to m.
func modInverse(a, m uint64) uint64 {
	t, newT := int64(0), int64(1)
	r, newR := int64(m), int64(a)
	for newR != 0 {
		q := r / newR
		t, newT = newT, t-q*newT
		r, newR = newR, r-q*newR
	}
	if t < 0 {
		t += int64(m)
	}
	return uint64(t)
}
