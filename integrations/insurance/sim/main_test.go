package sim_test

import "time"

// asOf pins the day the synthetic data describes, so that no status changes
// under a test as the calendar moves.
var asOf = time.Date(2025, 6, 18, 10, 0, 0, 0, time.UTC)
