package public

import "strings"

// matches reports whether an If-None-Match header matches etag by the
// weak comparison RFC 9110 §13.1.2 prescribes: "*", or any listed tag equal
// to etag once the W/ prefixes are set aside.
func matches(ifNoneMatch, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}
