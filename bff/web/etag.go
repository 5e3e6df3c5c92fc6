package web

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Shared reads — the matter catalog (事项目录), announcements, guides — are
// the same for every citizen and change a few times a day, so a client that
// already holds the current copy is answered 304 Not Modified with no body.
// Their entity tag is weak (W/"…"): it says the content is equivalent, not
// byte-identical, since the JSON is encoded anew for each answer.

// WeakETag returns the weak entity tag of the content identified by version
// (a catalog revision, the newest announcement's update time): a 64-bit
// hash, so that equal versions give equal tags on every instance.
func WeakETag(version string) string {
	h := fnv.New64a()
	h.Write([]byte(version))
	b := make([]byte, 0, 20)
	b = append(b, `W/"`...)
	b = strconv.AppendUint(b, h.Sum64(), 36)
	b = append(b, '"')
	return string(b)
}

// ETagMatches reports whether an If-None-Match header value matches etag
// under the weak comparison RFC 9110 (§13.1.2) prescribes for it: "*", or
// any listed tag with the same opaque value, weak or not.
func ETagMatches(ifNoneMatch, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for tag := range strings.SplitSeq(ifNoneMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || tag != "" && strings.TrimPrefix(tag, "W/") == want {
			return true
		}
	}
	return false
}

// NotModified sets the ETag of version on the answer and reports whether
// the client's copy is current, in which case the answer is now a 304 with
// no body and the handler returns nil at once:
//
//	if web.NotModified(c, catalog.Revision()) {
//		return nil
//	}
//
// A huma operation does the same with WeakETag and ETagMatches on its
// If-None-Match input and ETag output headers.
func NotModified(c *fiber.Ctx, version string) bool {
	tag := WeakETag(version)
	c.Set(fiber.HeaderETag, tag)
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		return false
	}
	if !ETagMatches(c.Get(fiber.HeaderIfNoneMatch), tag) {
		return false
	}
	c.Status(fiber.StatusNotModified)
	c.Response().ResetBody()
	return true
}
