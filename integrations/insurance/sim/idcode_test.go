package sim

import (
	"math/rand/v2"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
)

// testIndices returns n random person indices of s plus the first and last.
func testIndices(s *Sim, n int) []int {
	r := rand.New(rand.NewPCG(1, 2))
	out := []int{0, s.people - 1}
	for range n {
		out = append(out, r.IntN(s.people))
	}
	return out
}

func TestIDRoundTrip(t *testing.T) {
	s := New(Config{Seed: 7})
	for _, i := range testIndices(s, 5000) {
		id := s.ids.id(i)
		if _, err := domain.ParseIDNumber(id); err != nil {
			t.Fatalf("person %d: ID %s: %v", i, id, err)
		}
		if area := id[:6]; !isDandong(area) {
			t.Errorf("person %d: area %s is not in Dandong", i, area)
		}
		got, ok := s.ids.index(id)
		if !ok || got != i {
			t.Fatalf("index(id(%d)) = %d, %v; want %d, true", i, got, ok, i)
		}
	}
}

func isDandong(code string) bool {
	for _, a := range areas {
		if a.code == code {
			return true
		}
	}
	return false
}

// TestIDsDistinct checks a contiguous stretch exhaustively: the encoding is
// a bijection, so no two people may share a number.
func TestIDsDistinct(t *testing.T) {
	s := New(Config{Seed: 7, People: 200_000})
	seen := make(map[string]int, s.people)
	for i := range s.people {
		id := s.ids.id(i)
		if j, dup := seen[id]; dup {
			t.Fatalf("persons %d and %d share ID %s", j, i, id)
		}
		seen[id] = i
	}
}

func TestForeignIDsNotFound(t *testing.T) {
	s := New(Config{Seed: 7})
	valid := s.ids.id(12345)
	withCheck := func(first17 string) string { return first17 + string(domain.IDCheckDigit(first17)) }
	wrongCheck := valid[:17] + string("0123456789X"[(indexOf(valid[17])+1)%11])
	for _, id := range []string{
		withCheck("11010519491231002"), // Beijing
		wrongCheck,                     // one character off
		withCheck(valid[:6] + "19200101" + valid[14:17]), // born before the range
		withCheck(valid[:6] + "20150101" + valid[14:17]), // born after it
		valid[:17],
		"ABCDEFGHIJKLMNOPQR",
		"",
	} {
		if i, ok := s.ids.index(id); ok {
			t.Errorf("index(%q) = %d; want not found", id, i)
		}
	}
}

func indexOf(c byte) int {
	for k, x := range []byte("0123456789X") {
		if x == c {
			return k
		}
	}
	return 0
}

// TestEveryDecodedIDIsIssued tries many random well-formed Dandong numbers:
// whatever decodes must be exactly the number of the person it names.
func TestEveryDecodedIDIsIssued(t *testing.T) {
	s := New(Config{Seed: 7})
	r := rand.New(rand.NewPCG(3, 4))
	found := 0
	for range 100_000 {
		d := civil(firstBirth + r.IntN(lastBirth-firstBirth+1))
		b := appendID(nil, idParts{area: r.IntN(len(areas)), birth: d, seq: r.IntN(1000)})
		i, ok := s.ids.index(string(b))
		if !ok {
			continue
		}
		found++
		if got := s.ids.id(i); got != string(b) {
			t.Fatalf("%s decodes to person %d, whose ID is %s", b, i, got)
		}
	}
	if found == 0 {
		t.Error("no random Dandong number was issued; the density check is meaningless")
	}
}

func TestFeistelIsPermutation(t *testing.T) {
	for _, n := range []int{1, 2, 3, 1000, 4097, 65536} {
		f := newFeistel(n, 9)
		seen := make([]bool, n)
		for i := range n {
			p := f.forward(i)
			if p < 0 || p >= n || seen[p] {
				t.Fatalf("n=%d: forward(%d) = %d, out of range or repeated", n, i, p)
			}
			seen[p] = true
			if back := f.inverse(p); back != i {
				t.Fatalf("n=%d: inverse(forward(%d)) = %d", n, i, back)
			}
		}
	}
}

func TestAffineInverts(t *testing.T) {
	for _, m := range []uint64{1000, slotsPerDay, orgBodySpace, personalNoSpace} {
		for h := range uint64(50) {
			f := newAffine(m, splitmix(h))
			for _, x := range []uint64{0, 1, m / 2, m - 1} {
				if got := f.inverse(f.forward(x)); got != x {
					t.Fatalf("m=%d h=%d: inverse(forward(%d)) = %d", m, h, x, got)
				}
			}
		}
	}
}

func TestCalendarRoundTrip(t *testing.T) {
	for z := dayNumber(1900, 1, 1); z < dayNumber(2100, 1, 1); z += 17 {
		d := civil(z)
		if back := dayNumber(d.y, d.m, d.d); back != z {
			t.Fatalf("dayNumber(civil(%d)) = %d (%v)", z, back, d)
		}
	}
	if got := dayNumber(1970, 1, 1); got != 0 {
		t.Errorf("dayNumber(1970-01-01) = %d; want 0", got)
	}
}
