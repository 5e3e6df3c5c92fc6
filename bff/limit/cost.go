package limit

import (
	"fmt"
	"slices"
	"strings"
)

// costTable finds what a request costs from its method and path. The
// limiter runs before routing, where only the raw path is known, so it
// matches the path against the configured templates itself; the few costly
// routes make a short list, scanned without allocating.
type costTable struct {
	rules []costRule // most specific first
	def   int
}

type costRule struct {
	method string   // "" for any
	segs   []string // "" matches any one segment
	rest   bool     // a final "*": matches the rest, even nothing
	cost   int
	exact  int // literal segments, for ordering
}

// compileCosts parses the routes of Config.Costs.
func compileCosts(costs map[string]int, def int) (costTable, error) {
	t := costTable{def: def}
	for route, cost := range costs {
		if cost <= 0 {
			return t, fmt.Errorf("limit: route %q costs %d; want at least 1", route, cost)
		}
		r := costRule{cost: cost}
		path := route
		if m, p, ok := strings.Cut(route, " "); ok {
			r.method, path = strings.ToUpper(m), strings.TrimSpace(p)
		}
		if !strings.HasPrefix(path, "/") {
			return t, fmt.Errorf("limit: route %q: the path must start with /", route)
		}
		segs := strings.Split(strings.Trim(path, "/"), "/")
		if last := len(segs) - 1; segs[last] == "*" {
			r.rest, segs = true, segs[:last]
		}
		for i, s := range segs {
			if s == "*" || strings.HasPrefix(s, ":") || strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
				segs[i] = ""
			} else {
				r.exact++
			}
		}
		r.segs = segs
		t.rules = append(t.rules, r)
	}
	slices.SortStableFunc(t.rules, func(a, b costRule) int {
		if a.exact != b.exact {
			return b.exact - a.exact
		}
		if a.rest != b.rest {
			if a.rest {
				return 1
			}
			return -1
		}
		if (a.method == "") != (b.method == "") {
			if a.method == "" {
				return 1
			}
			return -1
		}
		return strings.Compare(strings.Join(a.segs, "/"), strings.Join(b.segs, "/"))
	})
	return t, nil
}

// most is the highest cost of any route.
func (t costTable) most() int {
	m := t.def
	for _, r := range t.rules {
		m = max(m, r.cost)
	}
	return m
}

// of returns the cost of a request.
func (t costTable) of(method, path string) int {
	for i := range t.rules {
		if t.rules[i].matches(method, path) {
			return t.rules[i].cost
		}
	}
	return t.def
}

func (r *costRule) matches(method, path string) bool {
	if r.method != "" && r.method != method {
		return false
	}
	rest := strings.Trim(path, "/")
	for _, want := range r.segs {
		if rest == "" {
			return false
		}
		seg, after, _ := strings.Cut(rest, "/")
		if want != "" && want != seg {
			return false
		}
		rest = after
	}
	return rest == "" || r.rest
}
