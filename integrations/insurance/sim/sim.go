// Package sim simulates the social-insurance business core (社保经办系统, the
// legacy 金保 system) over its real wire contract — SOAP 1.1 over HTTP, as
// in package insurance — with synthetic data for all of Dandong: 2.45
// million insured people and 60,000 employer units by default.
//
// Nothing is stored. Person i in [0, People) and unit j in [0, Units) are
// computed on demand from (Seed, index), so the same seed gives the same
// city on every start and in every operation, and memory stays flat. The ID
// number encodes the person index reversibly (see idcode.go) and the credit
// code the unit index (see creditcode.go), so lookups need no index; an ID
// or code the simulator did not issue is not found. The one thing kept in
// memory is an overlay of changes made through the BFF (a flexible worker's
// new base tier), keyed by person.
//
// The city's shape: persons [0, 85% of People) are on the rolls of units,
// each unit owning a contiguous run of indices (a few units of thousands,
// most of a handful); they are employed or, past pension age, retired and
// still managed through the unit. The other 15% are insured on their own:
// flexible employment, registered unemployed (with a former unit and a
// benefit claim), or retired. About a quarter of all people are retired;
// about 1.5% of those on rolls have a recognised work injury. A unit's roll,
// assessments and payments cover the people on its roll now; an unemployed
// person's past contributions name their former unit but are not part of
// that unit's history.
//
// Data is as of Config.AsOf: statuses, histories and payments run up to
// that month, whose contributions are assessed but not yet paid.
package sim

import (
	"net/http"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/insurance"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// Config sets up a simulator.
type Config struct {
	Seed   uint64 // the city; the same seed gives the same people and units
	People int    // insured people; default 2,450,000
	Units  int    // employer units; default 60,000, at most 85% of People
	Faults simulator.Faults
	// AsOf is the day the data describes; zero means today in Beijing at
	// construction. Tests pin it so that statuses do not change under them.
	AsOf time.Time
}

// The defaults: Dandong's insured population and employers.
const (
	DefaultPeople = 2_450_000
	DefaultUnits  = 60_000
)

// onRollShare is the share of people, in percent, on the rolls of units.
const onRollShare = 85

// Sim is the simulated core. It is an http.Handler serving
// insurance.ServicePath behind a fault injector; it is safe for concurrent
// use.
type Sim struct {
	seed                   uint64
	people, units, onRolls int
	today                  date
	now                    month // the month of today

	ids        *idCodec
	rollStart  []int32 // unit j's roll is persons [rollStart[j], rollStart[j+1])
	orgBody    affine  // unit index ↔ organisation-code body
	personalNo affine  // person index ↔ personal number

	injector *simulator.Injector
	handler  http.Handler

	mu    sync.RWMutex
	tiers map[int]tierChange // the overlay: base tiers changed through the BFF
}

// New builds a simulator. It panics on a Config no city fits (more people
// than the ID encoding holds), which is a wiring defect.
func New(cfg Config) *Sim {
	if cfg.People <= 0 {
		cfg.People = DefaultPeople
	}
	if cfg.Units <= 0 {
		cfg.Units = DefaultUnits
	}
	s := &Sim{seed: cfg.Seed, people: cfg.People, tiers: make(map[int]tierChange)}
	s.onRolls = max(1, s.people*onRollShare/100)
	s.units = min(cfg.Units, s.onRolls)
	asOf := cfg.AsOf
	if asOf.IsZero() {
		asOf = time.Now()
	}
	asOf = asOf.In(domain.Beijing)
	s.today = date{asOf.Year(), int(asOf.Month()), asOf.Day()}
	s.now = s.today.month()
	ids, err := newIDCodec(cfg.Seed, s.people)
	if err != nil {
		panic("insurance sim: " + err.Error())
	}
	s.ids = ids
	s.orgBody = newAffine(orgBodySpace, hash(cfg.Seed, tagUnitCode, 0))
	s.personalNo = newAffine(personalNoSpace, hash(cfg.Seed, tagPersonalNo, 0))
	s.layOutRolls()
	s.injector = simulator.NewInjector(cfg.Seed, cfg.Faults, writeBusy)
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+insurance.ServicePath, s.serveSOAP)
	s.handler = s.injector.Wrap(mux)
	return s
}

// ServeHTTP answers the core's SOAP operations, subject to the faults.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Injector returns the fault injector, so that the embedded mode and tests
// can change faults in-process and count requests.
func (s *Sim) Injector() *simulator.Injector { return s.injector }
