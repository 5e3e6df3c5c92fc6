package catalog

import (
	"regexp"
	"strings"
)

// A matter code (事项编码) is how every channel, the counter core, progress
// records and drafts name a matter, so it must never change once published
// and must read well in a URL, a log line and a database key. The scheme:
//
//	<area>.<action>          pension.certification, unit.staff_add
//
// area is one of Areas, the business line that owns the matter; action is
// lower-case snake_case English for what is done (verb or object first,
// whichever reads naturally). Both parts are ASCII letters, digits and '_',
// starting with a letter; the whole code is at most 64 bytes. Bundles (一件事)
// use the same shape under the reserved area "bundle": bundle.hire_staff.
//
// A matter that is renamed in Chinese keeps its code; a matter whose meaning
// changes gets a new code and the old one is retired.
const codeRule = "编码应为“业务领域.事项”形式的小写英文，例如 pension.certification"

// maxCodeLength bounds codes: the counter core takes matter codes of at most
// 64 bytes (see acceptance.Submission).
const maxCodeLength = 64

// BundleArea is the reserved area of bundle codes.
const BundleArea = "bundle"

// Areas are the business lines a matter code may start with, with the name
// citizens know them by. Channels group matter lists by area.
var Areas = map[string]string{
	"unit":         "单位参保",
	"insured":      "个人参保",
	"transfer":     "关系转移",
	"payment":      "社保缴费",
	"pension":      "养老保险",
	"injury":       "工伤保险",
	"unemployment": "失业保险",
	"employment":   "就业服务",
	"startup":      "创业服务",
	"institution":  "机关事业单位",
	"card":         "社会保障卡",
}

var codePart = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Area returns the area part of a code ("pension" for pension.certification).
func Area(code string) string {
	area, _, _ := strings.Cut(code, ".")
	return area
}

// validCode reports whether code follows the scheme with an area for which
// ok returns true.
func validCode(code string, ok func(area string) bool) bool {
	area, action, found := strings.Cut(code, ".")
	return found && len(code) <= maxCodeLength && ok(area) &&
		codePart.MatchString(area) && codePart.MatchString(action)
}

// ValidMatterCode reports whether code is a well-formed matter code of a
// known area.
func ValidMatterCode(code string) bool {
	return validCode(code, func(a string) bool { _, ok := Areas[a]; return ok })
}

// ValidBundleCode reports whether code is a well-formed bundle code.
func ValidBundleCode(code string) bool {
	return validCode(code, func(a string) bool { return a == BundleArea })
}

// keyPattern is the shape of form field keys: lowerCamelCase, so that they
// are natural JSON property names in every client.
var keyPattern = regexp.MustCompile(`^[a-z][A-Za-z0-9]{0,63}$`)

// localCodePattern is the shape of material and situation codes, which are
// unique only within their matter.
var localCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
