// Package jobs is job seeking in the app (求职登记, 职位搜索): a citizen
// searches the postings employers filed with the employment system
// (就业信息系统) — by area, industry, pay and how recently posted — reads a
// posting, and registers as a job seeker (求职登记) with their education,
// skills and the post, area and pay they want, which the employment
// system's counsellors match against postings.
//
// Postings and registrations live in the employment system; the bureau's
// server keeps neither. Board is the port; integrations/employment
// implements it.
package jobs

import (
	"context"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Board is the port to the employment system. Every method may also return
// Unavailable when the system is down or its circuit breaker is open,
// Timeout when it does not answer in time, and Internal when it answers
// something that cannot be understood; those are not repeated below.
type Board interface {
	// Search returns one page of the postings matching q, newest first.
	// Invalid for a query the system cannot run.
	Search(ctx context.Context, q Query) (Page, error)
	// Job returns one posting. NotFound when there is none (or it closed).
	Job(ctx context.Context, id string) (Job, error)
	// Register records or updates the person's job-seeker registration;
	// registering again replaces the wishes and keeps the registration
	// number, so a retried call is harmless. Invalid for a malformed one.
	Register(ctx context.Context, s Seeker) (Registration, error)
	// Registration returns the person's registration. NotFound when they
	// have not registered.
	Registration(ctx context.Context, person domain.IDNumber) (Registration, error)
}

// Job is one posting (招聘岗位).
type Job struct {
	ID        string
	Title     string
	Employer  string
	Industry  Industry
	Area      Area
	SalaryMin domain.Fen // monthly pay offered, from
	SalaryMax domain.Fen // to
	Education Education  // the least required
	// Experience is the years of experience asked for; 0 means none.
	Experience  int
	Headcount   int
	PostedOn    time.Time // midnight in Beijing
	Description string
	Address     string
	Welfare     []string // 五险一金, 包吃住…
	// Contact is the person to ask and their phone, which channels show
	// masked until the seeker has registered.
	Contact      string
	ContactPhone domain.Phone
}

// Query chooses postings. Zero fields do not filter.
type Query struct {
	Keyword  string // in the title or the employer's name
	Area     Area
	Industry Industry
	// SalaryMin keeps postings that may pay at least this much a month
	// (their upper bound reaches it).
	SalaryMin domain.Fen
	// PostedSince keeps postings filed on or after this day.
	PostedSince time.Time
	Page        int // from 1
	Size        int // 1..MaxPageSize
}

// MaxPageSize bounds a page of postings: a phone screen shows a handful,
// and the employment system answers big pages slowly.
const MaxPageSize = 50

// Page is one page of search results.
type Page struct {
	Jobs  []Job
	Total int // postings matching, on every page
	Page  int
	Size  int
}

// HasMore reports whether pages follow this one.
func (p Page) HasMore() bool { return p.Page*p.Size < p.Total }

// Seeker is a job-seeker registration as the citizen fills it in.
type Seeker struct {
	Person         domain.IDNumber
	Phone          domain.Phone // where counsellors reach them
	Education      Education
	Major          string   // 所学专业; may be empty
	Skills         []string // 技能特长, up to MaxSkills
	WantedPost     string   // 求职意向岗位
	WantedArea     Area
	WantedIndustry Industry   // "" for any
	WantedSalary   domain.Fen // monthly pay hoped for; 0 for negotiable
}

// Registration is a seeker as the employment system keeps them.
type Registration struct {
	Seeker
	No           string // 求职登记编号
	RegisteredAt time.Time
	UpdatedAt    time.Time
}
