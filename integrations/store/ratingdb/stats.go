package ratingdb

import (
	"context"
	"fmt"
	"sort"

	"github.com/dandong-hrss/hrss/domain/rating"
)

// groupColumns maps each dimension to the column it groups by and the
// column its label comes from. Only these names reach the SQL text.
var groupColumns = map[rating.Dimension][2]string{
	rating.ByMatter:  {"matter_code", "matter_name"},
	rating.ByChannel: {"channel", "channel"},
	rating.ByOffice:  {"office", "office"},
	rating.ByStaff:   {"staff", "staff"},
	rating.ByDay:     {"rated_on", "rated_on"},
}

// statsSelect counts each level among the ratings not excluded, and the
// excluded apart, in one pass of a GROUP BY that both dialects run as is.
const statsSelect = "SELECT %[1]s AS k, MAX(%[2]s) AS label," +
	" SUM(CASE WHEN excluded = 0 AND level = 1 THEN 1 ELSE 0 END) AS l1," +
	" SUM(CASE WHEN excluded = 0 AND level = 2 THEN 1 ELSE 0 END) AS l2," +
	" SUM(CASE WHEN excluded = 0 AND level = 3 THEN 1 ELSE 0 END) AS l3," +
	" SUM(CASE WHEN excluded = 0 AND level = 4 THEN 1 ELSE 0 END) AS l4," +
	" SUM(CASE WHEN excluded = 0 AND level = 5 THEN 1 ELSE 0 END) AS l5," +
	" SUM(CASE WHEN excluded = 1 THEN 1 ELSE 0 END) AS unfounded" +
	" FROM rating WHERE rated_on >= ? AND rated_on <= ?%[3]s GROUP BY %[1]s"

// Stats implements rating.Store. Groups come back in byte order of Key,
// the same on both dialects whatever their collations.
func (s *Store) Stats(ctx context.Context, q rating.StatsQuery) ([]rating.Stat, error) {
	cols, ok := groupColumns[q.By]
	if !ok {
		return nil, fmt.Errorf("rating stats: unknown dimension %q", q.By)
	}
	args := []any{rating.Day(q.From), rating.Day(q.To)}
	stage := ""
	if q.Stage != "" {
		stage = " AND stage = ?"
		args = append(args, string(q.Stage))
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(statsSelect, cols[0], cols[1], stage), args...)
	if err != nil {
		return nil, fail(err, "评价统计")
	}
	defer rows.Close()
	var out []rating.Stat
	for rows.Next() {
		var st rating.Stat
		l := &st.Levels
		if err := rows.Scan(&st.Key, &st.Label, &l[0], &l[1], &l[2], &l[3], &l[4], &st.Unfounded); err != nil {
			return nil, fail(err, "评价统计")
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(err, "评价统计")
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
