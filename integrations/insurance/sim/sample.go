package sim

import "github.com/dandong-hrss/hrss/domain"

// SamplePerson is a synthetic person to try the system with, as
// `hrss sim --sample` lists them: a newcomer needs valid ID numbers of
// people in each situation, and the simulator keeps no list to read them
// from.
type SamplePerson struct {
	ID         string // the full ID number: the samples are synthetic
	Name       string // masked (张*)
	Status     string // 在职, 退休, 失业 or 灵活就业
	WorkInjury bool   // has a recognised work injury
	UnitCode   string // the unit whose roll the person is on; "" if none
}

// sampleKinds are the situations Sample spreads over, in turn: employed,
// retired, unemployed, flexible employment, and work-injured.
const sampleKinds = 5

// Sample returns n people spread evenly across the situations, the same n
// for the same seed. It walks the people in a scrambled order and stops
// after 500,000, so in a tiny city it may return fewer.
func (s *Sim) Sample(n int) []SamplePerson {
	var buckets [sampleKinds][]SamplePerson
	want := (n + sampleKinds - 1) / sampleKinds
	for k := 0; k < min(s.people, 500_000) && !full(&buckets, want); k++ {
		p := s.person(s.ids.perm.forward(k))
		kind := int(p.status)
		_, injured := s.injury(&p.profile)
		if injured {
			kind = sampleKinds - 1
		}
		if len(buckets[kind]) < want {
			buckets[kind] = append(buckets[kind], s.samplePerson(&p, injured))
		}
	}
	out := make([]SamplePerson, 0, n)
	for k := 0; len(out) < n && k < want; k++ {
		for b := range buckets {
			if k < len(buckets[b]) && len(out) < n {
				out = append(out, buckets[b][k])
			}
		}
	}
	return out
}

func full(buckets *[sampleKinds][]SamplePerson, want int) bool {
	for _, b := range buckets {
		if len(b) < want {
			return false
		}
	}
	return true
}

func (s *Sim) samplePerson(p *person, injured bool) SamplePerson {
	sp := SamplePerson{ID: p.idNumber, Name: domain.MaskName(p.name), Status: p.status.label(), WorkInjury: injured}
	if p.unit >= 0 {
		u, _ := s.unitProfile(p.unit)
		sp.UnitCode = s.unitCode(u)
	}
	return sp
}

// RealName returns the full name of the person with the given ID number,
// for other simulators that must agree with the business core (the
// provincial e-card platform's real-name check) and for tests that act as
// that person. ok is false for an ID number the core does not know.
func (s *Sim) RealName(id string) (name string, ok bool) {
	p, ok := s.lookup(id)
	if !ok {
		return "", false
	}
	return p.name, true
}

// PersonAt returns the ID number, real name and status (在职, 退休, 失业 or
// 灵活就业) of the person with index i in [0, People): the load generator
// draws its users from the whole city with it, as a kiosk reads cards.
func (s *Sim) PersonAt(i int) (id, name, status string) {
	p := s.person(s.ids.perm.forward(i % s.people))
	return p.idNumber, p.name, p.status.label()
}
