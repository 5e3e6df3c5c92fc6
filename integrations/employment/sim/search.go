package sim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/employment"
)

// filter is a parsed search.
type filter struct {
	keyword, area, industry string
	salaryMin               int64
	since                   string // yyyy-mm-dd; compares as text
	page, size              int
}

// parseFilter reads the query string; ok is false for a malformed one.
func parseFilter(q url.Values) (f filter, ok bool) {
	f = filter{keyword: strings.TrimSpace(q.Get("keyword")), area: q.Get("area"), industry: q.Get("industry"),
		since: q.Get("postedSince"), page: 1, size: 20}
	var err error
	if v := q.Get("salaryMin"); v != "" {
		if f.salaryMin, err = strconv.ParseInt(v, 10, 64); err != nil || f.salaryMin < 0 {
			return f, false
		}
	}
	if f.since != "" {
		if _, err := time.ParseInLocation(employment.DateLayout, f.since, domain.Beijing); err != nil {
			return f, false
		}
	}
	for _, p := range []struct {
		name     string
		into     *int
		min, max int
	}{{"page", &f.page, 1, 1 << 20}, {"size", &f.size, 1, 100}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < p.min || n > p.max {
				return f, false
			}
			*p.into = n
		}
	}
	return f, true
}

func (f filter) match(j *employment.JobRecord) bool {
	switch {
	case f.area != "" && j.AreaCode != f.area,
		f.industry != "" && j.Industry != f.industry,
		f.salaryMin > 0 && j.SalaryMax < f.salaryMin,
		f.since != "" && j.PostedOn < f.since,
		f.keyword != "" && !strings.Contains(j.Title, f.keyword) && !strings.Contains(j.Employer, f.keyword):
		return false
	}
	return true
}

func (s *Sim) search(w http.ResponseWriter, r *http.Request, _ []byte) {
	f, ok := parseFilter(r.URL.Query())
	if !ok {
		fail(w, http.StatusBadRequest, employment.ReasonInvalidParameter, "查询条件格式错误")
		return
	}
	out := employment.SearchResponse{Envelope: success(), Page: f.page, Size: f.size, Jobs: []employment.JobRecord{}}
	skip := (f.page - 1) * f.size
	for i := range s.jobs {
		if !f.match(&s.jobs[i]) {
			continue
		}
		if out.Total >= skip && len(out.Jobs) < f.size {
			out.Jobs = append(out.Jobs, s.jobs[i])
		}
		out.Total++
	}
	employment.WriteJSON(w, http.StatusOK, out)
}
