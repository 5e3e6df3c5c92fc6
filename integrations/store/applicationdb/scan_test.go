package applicationdb_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/integrations/store"
)

// scanForPersonalData reads every text column of every table and fails on
// any of the plain values known (the ID numbers and phones a test used) and
// on anything that passes for a citizen ID number.
func scanForPersonalData(t *testing.T, db *store.DB, known []string) {
	t.Helper()
	cells := 0
	for table, cols := range textColumns(t, db) {
		for _, col := range cols {
			rows, err := db.Query("SELECT " + col + " FROM " + table)
			if err != nil {
				t.Fatalf("scan %s.%s: %v", table, col, err)
			}
			for rows.Next() {
				var v sql.NullString
				if err := rows.Scan(&v); err != nil {
					t.Fatalf("scan %s.%s: %v", table, col, err)
				}
				cells++
				if what := personalData(v.String, known); what != "" {
					t.Errorf("%s.%s holds %s in plain text", table, col, what)
				}
			}
			rows.Close()
		}
	}
	if cells < 50 {
		t.Fatalf("scanned only %d cells; the scan is not looking at the data", cells)
	}
}

// textColumns lists the text columns of every table, by table.
func textColumns(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	var rows []struct {
		Table  string `db:"t"`
		Column string `db:"c"`
	}
	q := `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = DATABASE()
		AND data_type IN ('char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext')`
	if db.Dialect == store.SQLite {
		q = `SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p
			WHERE m.type = 'table' AND (p.type = 'TEXT' OR p.type = '')`
	}
	if err := db.Select(&rows, q); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		out[r.Table] = append(out[r.Table], r.Column)
	}
	return out
}

// personalData names what s reveals, or "".
func personalData(s string, known []string) string {
	for _, k := range known {
		if strings.Contains(s, k) {
			return "a known ID number or phone " + domain.MaskText(k)
		}
	}
	for i := 0; i+18 <= len(s); i++ {
		if _, err := domain.ParseIDNumber(s[i : i+18]); err == nil {
			return "a citizen ID number " + domain.MaskText(s[i:i+18])
		}
	}
	return ""
}
