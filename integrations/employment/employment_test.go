package employment_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/jobs"
	"github.com/dandong-hrss/hrss/integrations/employment"
	"github.com/dandong-hrss/hrss/integrations/employment/sim"
	"github.com/dandong-hrss/hrss/integrations/remote"
	"github.com/dandong-hrss/hrss/integrations/simulator"
)

// quick is a policy scaled down so breaker and timeout behaviour shows in
// milliseconds.
var quick = remote.Policy{
	Timeout: 200 * time.Millisecond, Retries: 0, BackoffBase: time.Millisecond, BackoffMax: 5 * time.Millisecond,
	BreakerFailures: 3, BreakerOpenFor: 200 * time.Millisecond, BreakerProbes: 1,
}

// validID is a well-formed ID number of no one in particular.
var validID = domain.IDNumber("21060219900101123" + string(domain.IDCheckDigit("21060219900101123")))

var asOf = time.Date(2026, 6, 1, 10, 0, 0, 0, domain.Beijing)

type system struct {
	sim    *sim.Sim
	url    string
	client *employment.Client
}

func start(tb testing.TB, cfg sim.Config, p remote.Policy) *system {
	tb.Helper()
	cfg.AsOf = asOf
	s := sim.New(cfg)
	srv, err := simulator.Serve("127.0.0.1:0", s)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Close(ctx)
	})
	return &system{sim: s, url: srv.URL(), client: clientFor(srv.URL(), sim.DefaultAppKey, p)}
}

func clientFor(url, key string, p remote.Policy) *employment.Client {
	return employment.New(employment.Config{BaseURL: url, AppID: sim.DefaultAppID, AppKey: key, Policy: p}, nil)
}

func TestBoardHoldsPlausibleDandongPostings(t *testing.T) {
	s := start(t, sim.Config{Seed: 7}, quick)
	all := s.sim.Jobs()
	if len(all) != sim.DefaultPostings {
		t.Fatalf("%d postings; want %d", len(all), sim.DefaultPostings)
	}
	areas, industries := map[string]int{}, map[string]int{}
	oldest := asOf.Format(employment.DateLayout)
	for i, j := range all {
		areas[j.AreaCode]++
		industries[j.Industry]++
		if i > 0 && j.PostedOn > all[i-1].PostedOn {
			t.Fatalf("posting %d (%s) is newer than the one before it (%s); want newest first", i, j.PostedOn, all[i-1].PostedOn)
		}
		if j.SalaryMin < 2000 || j.SalaryMax <= j.SalaryMin || !jobs.Area(j.AreaCode).Known() || !jobs.Industry(j.Industry).Known() {
			t.Fatalf("implausible posting %+v", j)
		}
		oldest = min(oldest, j.PostedOn)
	}
	if len(areas) != len(jobs.Areas) || len(industries) != len(jobs.Industries) {
		t.Errorf("postings cover %d areas and %d industries; want all %d and %d", len(areas), len(industries), len(jobs.Areas), len(jobs.Industries))
	}
	if want := asOf.AddDate(0, 0, -89).Format(employment.DateLayout); oldest > asOf.AddDate(0, 0, -80).Format(employment.DateLayout) || oldest < want {
		t.Errorf("oldest posting %s; want within the 90 days before %s", oldest, asOf.Format(employment.DateLayout))
	}
	again := sim.New(sim.Config{Seed: 7, AsOf: asOf}).Jobs()
	if again[100].JobID != all[100].JobID || again[100].Employer != all[100].Employer {
		t.Errorf("the same seed gave another board")
	}
}

func TestSearchFiltersAndPages(t *testing.T) {
	s := start(t, sim.Config{Seed: 7}, quick)
	ctx := context.Background()
	since := asOf.AddDate(0, 0, -30)
	q := jobs.Query{Area: jobs.Donggang, Industry: jobs.Agriculture, SalaryMin: 450000, PostedSince: since, Page: 1, Size: 5}
	want := 0
	for _, j := range s.sim.Jobs() {
		if j.AreaCode == "210681" && j.Industry == "agriculture" && j.SalaryMax >= 4500 && j.PostedOn >= since.Format(employment.DateLayout) {
			want++
		}
	}
	page, err := s.client.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != want || want == 0 || len(page.Jobs) != min(5, want) {
		t.Fatalf("got %d of %d matches; want %d (the whole board agrees), first page of 5", len(page.Jobs), page.Total, want)
	}
	for _, j := range page.Jobs {
		if j.Area != jobs.Donggang || j.Industry != jobs.Agriculture || j.SalaryMax < 450000 || j.PostedOn.Format(employment.DateLayout) < since.Format(employment.DateLayout) {
			t.Errorf("posting %+v does not match the filters", j)
		}
	}
	q.Page = 2
	second, _ := s.client.Search(ctx, q)
	if len(second.Jobs) > 0 && second.Jobs[0].ID == page.Jobs[0].ID {
		t.Errorf("page 2 starts with page 1's first posting")
	}
	kw, _ := s.client.Search(ctx, jobs.Query{Keyword: "草莓", Page: 1, Size: 10})
	for _, j := range kw.Jobs {
		if !strings.Contains(j.Title+j.Employer, "草莓") {
			t.Errorf("keyword 草莓 found %q at %q", j.Title, j.Employer)
		}
	}
	if kw.Total == 0 {
		t.Error("no strawberry jobs in Dandong")
	}
	detail, err := s.client.Job(ctx, page.Jobs[0].ID)
	if err != nil || detail.Title != page.Jobs[0].Title || detail.ContactPhone == "" || detail.Description == "" {
		t.Errorf("Job = %+v, %v; want the posting in full", detail, err)
	}
	if _, err := s.client.Job(ctx, "ZP99999"); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("unknown job: err = %v; want NotFound", err)
	}
}

func TestRegistrationIsKeyedByPerson(t *testing.T) {
	s := start(t, sim.Config{Seed: 7}, quick)
	ctx := context.Background()
	person := validID
	if _, err := s.client.Registration(ctx, person); !domain.IsCode(err, domain.NotFound) {
		t.Fatalf("before registering: err = %v; want NotFound", err)
	}
	sk := jobs.Seeker{Person: person, Phone: "13812345678", Education: jobs.College, Skills: []string{"叉车证"},
		WantedPost: "叉车司机", WantedArea: jobs.Zhenxing, WantedSalary: 500000}
	first, err := s.client.Register(ctx, sk)
	if err != nil || first.No == "" {
		t.Fatalf("Register = %+v, %v", first, err)
	}
	sk.WantedPost = "仓库管理员"
	second, err := s.client.Register(ctx, sk)
	if err != nil || second.No != first.No || second.WantedPost != "仓库管理员" || second.WantedSalary != 500000 {
		t.Errorf("registering again = %+v, %v; want the same number %s with the new wish", second, err, first.No)
	}
	got, err := s.client.Registration(ctx, person)
	if err != nil || got.No != first.No || got.Person != person {
		t.Errorf("Registration = %+v, %v", got, err)
	}
	if n := len(s.sim.Seekers()); n != 1 {
		t.Errorf("%d seekers; want 1", n)
	}
}

func TestSystemRefusesBadSignatures(t *testing.T) {
	s := start(t, sim.Config{Seed: 7}, quick)
	_, err := clientFor(s.url, "guessed-key", quick).Search(context.Background(), jobs.Query{Page: 1, Size: 1})
	if !domain.IsCode(err, domain.Internal) {
		t.Errorf("wrong key: err = %v; want Internal (our misconfiguration)", err)
	}
	// A signed search whose query was edited in flight is refused.
	req, _ := http.NewRequest(http.MethodGet, s.url+employment.PathJobs+"?page=1&size=1", nil)
	employment.SignHeader(req.Header, sim.DefaultAppID, sim.DefaultAppKey, employment.PathJobs+"?page=1&size=2", nil, time.Now())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("edited query: status %d; want 401", resp.StatusCode)
	}
}

func TestSlowAndDownSystem(t *testing.T) {
	slow := start(t, sim.Config{Seed: 7, Faults: simulator.Faults{LatencyMin: 2 * time.Second, LatencyMax: 2 * time.Second}}, quick)
	begin := time.Now()
	_, err := slow.client.Job(context.Background(), "ZP00001")
	if elapsed := time.Since(begin); !domain.IsCode(err, domain.Timeout) || elapsed > quick.Timeout+500*time.Millisecond {
		t.Errorf("slow system: err = %v after %v; want Timeout after about %v", err, elapsed, quick.Timeout)
	}
	down := start(t, sim.Config{Seed: 7, Faults: simulator.Faults{Down: true}}, quick)
	if _, err := down.client.Job(context.Background(), "ZP00001"); !domain.IsCode(err, domain.Unavailable) || !strings.Contains(err.Error(), employment.Name) {
		t.Errorf("down system: err = %v; want Unavailable naming %s", err, employment.Name)
	}
}

func TestBreakerOpensAndReadsAreRetried(t *testing.T) {
	s := start(t, sim.Config{Seed: 7, Faults: simulator.Faults{ErrorRate: 1}}, quick)
	ctx := context.Background()
	for range quick.BreakerFailures {
		s.client.Job(ctx, "ZP00001")
	}
	if got := s.client.BreakerState(); got != "open" {
		t.Fatalf("breaker %s after %d failures; want open", got, quick.BreakerFailures)
	}
	reached := s.sim.Injector().Requests()
	if _, err := s.client.Job(ctx, "ZP00001"); !domain.IsCode(err, domain.Unavailable) || s.sim.Injector().Requests() != reached {
		t.Errorf("open breaker: err = %v, reached the system; want a fast Unavailable", err)
	}

	retrying := quick
	retrying.Retries, retrying.BreakerFailures = 2, 100
	c := clientFor(s.url, sim.DefaultAppKey, retrying)
	before := s.sim.Injector().Requests()
	c.Register(ctx, jobs.Seeker{Person: validID, Education: jobs.College, WantedPost: "普工", WantedArea: jobs.Yuanbao})
	if got := s.sim.Injector().Requests() - before; got != 3 {
		t.Errorf("a registration reached the system %d times; want 3 (it is keyed by person, so safe to repeat)", got)
	}
}
