package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Optimistic versions: a matter, bundle or announcement is answered with
// the entity tag "v<version>", and a change names the version it was based
// on, either by sending that tag back in If-Match or by a version field in
// the body. A change based on a version that is no longer current is
// refused with 409 Conflict, so two staff never silently overwrite each
// other.

// versionTag is the entity tag of a definition at version v.
func versionTag(v int64) string { return `"v` + strconv.FormatInt(v, 10) + `"` }

// tagMatches reports whether an If-None-Match header names tag.
func tagMatches(ifNoneMatch, tag string) bool {
	want := strings.TrimPrefix(tag, "W/")
	for t := range strings.SplitSeq(ifNoneMatch, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t != "" && strings.TrimPrefix(t, "W/") == want {
			return true
		}
	}
	return false
}

// msgIfMatch says what If-Match must hold.
const msgIfMatch = `应为读取时返回的 ETag，如 "v3"`

// baseVersion is the version a change was based on: from If-Match when
// sent, else the body's version (0 for something new). Invalid when
// If-Match is not one of our tags or disagrees with the body.
func baseVersion(ifMatch string, body int64) (int64, error) {
	ifMatch = strings.TrimSpace(ifMatch)
	if ifMatch == "" {
		return body, nil
	}
	digits, ok := strings.CutPrefix(ifMatch, `"v`)
	digits, closed := strings.CutSuffix(digits, `"`)
	v, err := strconv.ParseInt(digits, 10, 64)
	if !ok || !closed || err != nil || v < 1 {
		return 0, domain.InvalidFields(domain.FieldError{Field: "If-Match", Message: msgIfMatch})
	}
	if body != 0 && body != v {
		return 0, domain.InvalidFields(domain.FieldError{Field: "version", Message: "与 If-Match 中的版本不一致"})
	}
	return v, nil
}

// stamp writes t as RFC 3339 in Beijing time; "" for the zero time.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Beijing).Format(time.RFC3339)
}

// day writes t as its Beijing date; "" for the zero time.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(domain.Beijing).Format(time.DateOnly)
}

// parseDay reads a "2006-01-02" date as Beijing midnight; "" is the zero
// time. The format itself is checked by the schema (format:"date").
func parseDay(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, domain.Beijing)
	if err != nil {
		return time.Time{}, domain.InvalidFields(domain.FieldError{Field: field, Message: "日期格式应为 年-月-日，如 2026-11-29"})
	}
	return t, nil
}

// errNoVersion refuses a change to something that exists without the
// version it was based on.
var errNoVersion = domain.InvalidFields(domain.FieldError{Field: "version",
	Message: "请给出所依据的版本：读取时返回的 version，或在 If-Match 头中给出 ETag"})
