package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// The checks of a definition. A matter or bundle that fails one is never
// served: the embedded file fails the start (and its test), an
// administrator's change is refused with every problem named by its path in
// the definition ("fields[2].key") and a Chinese message.

// problems collects definition problems under a path prefix.
type problems struct {
	prefix string
	list   *[]domain.FieldError
}

func newProblems() problems { return problems{list: new([]domain.FieldError)} }

func (p problems) add(path, format string, args ...any) {
	*p.list = append(*p.list, domain.FieldError{Field: p.prefix + path, Message: fmt.Sprintf(format, args...)})
}

// under returns problems whose paths start with prefix.
func (p problems) under(prefix string) problems {
	return problems{prefix: p.prefix + prefix, list: p.list}
}

func (p problems) empty() bool { return len(*p.list) == 0 }

// err returns the problems as an Invalid error, or nil.
func (p problems) err() error {
	if p.empty() {
		return nil
	}
	return &domain.Error{Code: domain.Invalid, Message: "事项定义有误，请按提示修改后重新保存", Fields: *p.list}
}

// Length limits of definition texts, in characters.
const (
	maxNameLen  = 64
	maxLabelLen = 32
	maxTextLen  = 500
	maxHelpLen  = 200
)

func checkLength(p problems, path, what, s string, max int, required bool) {
	switch n := utf8.RuneCountInString(s); {
	case required && n == 0:
		p.add(path, "请填写%s", what)
	case n > max:
		p.add(path, "%s最多%d个字", what, max)
	}
}

// checkMatter checks what can be checked of m alone; references to other
// matters are checked by checkReferences.
func checkMatter(p problems, m Matter) {
	if !ValidMatterCode(m.Code) {
		p.add("code", "事项%s", codeRule)
	}
	checkLength(p, "name", "事项名称", m.Name, maxNameLen, true)
	checkLength(p, "description", "事项说明", m.Description, maxTextLen, false)
	if m.Applicant != Person && m.Applicant != Unit {
		p.add("applicant", "申请人类型应为 person（个人）或 unit（单位）")
	}
	checkChannels(p, m.Channels)
	checkFields(p, "fields", m.Fields, nil)
	checkMaterials(p, "materials", m.Materials, nil)
	checkLimits(p.under("limits."), m.Limits, m.HighFrequency)
	checkCodeList(p, "prerequisites", m.Code, m.Prerequisites)
	checkCodeList(p, "related", m.Code, m.Related)
	checkSituations(p, m)
	if m.Version < 0 {
		p.add("version", "版本号不能为负数")
	}
}

func checkChannels(p problems, cs []domain.Channel) {
	seen := map[domain.Channel]bool{}
	for i, c := range cs {
		if parsed, err := domain.ParseChannel(string(c)); err != nil || parsed != c {
			p.add(fmt.Sprintf("channels[%d]", i), "不支持的办理渠道“%s”", c)
		} else if seen[c] {
			p.add(fmt.Sprintf("channels[%d]", i), "办理渠道“%s”重复", c.Label())
		}
		seen[c] = true
	}
	if !seen[domain.Counter] {
		p.add("channels", "每个事项都应可在服务大厅窗口办理（一窗受理），请加入 counter")
	}
}

// checkLimits checks the time limits against the 快办行动 targets.
func checkLimits(p problems, l Limits, highFrequency bool) {
	switch {
	case l.PromisedDays < 0 || l.StatutoryDays < 0:
		p.add("promisedDays", "时限不能为负数")
	case l.Instant && l.PromisedDays != 0:
		p.add("promisedDays", "即办事项的承诺时限应为0个工作日")
	case !l.Instant && l.PromisedDays == 0:
		p.add("promisedDays", "非即办事项的承诺时限至少为1个工作日")
	case l.PromisedDays > l.StatutoryDays:
		p.add("promisedDays", "承诺时限不能长于法定时限")
	case highFrequency && !l.Instant && 2*l.PromisedDays > l.StatutoryDays:
		p.add("promisedDays", "高频事项的承诺时限应不超过法定时限的一半（提速50%%以上）")
	}
}

// checkCodeList checks a list of matter codes for shape, self-reference and
// repeats.
func checkCodeList(p problems, path, self string, codes []string) {
	seen := map[string]bool{}
	for i, c := range codes {
		at := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !ValidMatterCode(c):
			p.add(at, "事项%s", codeRule)
		case c == self:
			p.add(at, "不能引用事项本身")
		case seen[c]:
			p.add(at, "事项“%s”重复", c)
		}
		seen[c] = true
	}
}

// checkFields checks a list of fields; taken are keys already used by the
// form the list is added to.
func checkFields(p problems, path string, fs []Field, taken map[string]bool) {
	seen := map[string]bool{}
	for k := range taken {
		seen[k] = true
	}
	for i, f := range fs {
		fp := p.under(fmt.Sprintf("%s[%d].", path, i))
		checkField(fp, f)
		if seen[f.Key] {
			fp.add("key", "字段键“%s”重复", f.Key)
		}
		seen[f.Key] = true
	}
}

func checkField(p problems, f Field) {
	if !keyPattern.MatchString(f.Key) {
		p.add("key", "字段键应为小写字母开头的英文驼峰形式，例如 idNumber")
	}
	checkLength(p, "label", "字段名称", f.Label, maxLabelLen, true)
	checkLength(p, "help", "填写说明", f.Help, maxHelpLen, false)
	checkLength(p, "patternHint", "格式提示", f.PatternHint, maxHelpLen, false)
	if _, ok := fieldTypes[f.Type]; !ok {
		p.add("type", "不支持的字段类型“%s”", f.Type)
		return
	}
	checkOptions(p, f)
	checkBounds(p, f)
	if checkPattern(p, f) && f.Example != nil {
		if msg := checkValue(f, f.Example); msg != "" {
			p.add("example", "示例不符合该字段的要求：%s", msg)
		}
	}
}

func checkOptions(p problems, f Field) {
	if f.Type != Select {
		if len(f.Options) > 0 {
			p.add("options", "只有选择项（select）可以设置选项")
		}
		return
	}
	if len(f.Options) == 0 {
		p.add("options", "选择项至少需要一个选项")
	}
	seen := map[string]bool{}
	for i, o := range f.Options {
		switch {
		case o.Value == "" || o.Label == "":
			p.add(fmt.Sprintf("options[%d]", i), "选项的值和名称都不能为空")
		case seen[o.Value]:
			p.add(fmt.Sprintf("options[%d]", i), "选项值“%s”重复", o.Value)
		}
		seen[o.Value] = true
	}
}

// checkBounds checks min and max: only for types they mean something for,
// whole and not negative where they count characters, files or fen.
func checkBounds(p problems, f Field) {
	if f.Min == nil && f.Max == nil {
		return
	}
	switch f.Type {
	case Number:
	case Text, Money, Files:
		for _, b := range []struct {
			name string
			v    *float64
		}{{"min", f.Min}, {"max", f.Max}} {
			if b.v != nil && (*b.v < 0 || *b.v != float64(int64(*b.v))) {
				p.add(b.name, "长度、个数和金额（分）的界限应为非负整数")
			}
		}
	default:
		p.add("min", "该类型的字段不能设置最小值或最大值")
		return
	}
	if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
		p.add("min", "最小值不能大于最大值")
	}
}

// checkPattern checks f's pattern and reports whether the field's rules can
// be applied (its pattern, if any, compiles).
func checkPattern(p problems, f Field) bool {
	if f.Pattern == "" {
		return true
	}
	if f.Type != Text {
		p.add("pattern", "只有文字（text）字段可以设置格式要求")
		return true
	}
	if _, err := regexp.Compile(f.Pattern); err != nil {
		p.add("pattern", "格式要求（正则表达式）无法解析")
		return false
	}
	if f.Example == nil {
		p.add("example", "设置了格式要求的字段需要提供符合要求的示例")
	}
	return true
}

// checkMaterials checks a list of materials; taken are codes already used.
func checkMaterials(p problems, path string, ms []Material, taken map[string]bool) {
	seen := map[string]bool{}
	for k := range taken {
		seen[k] = true
	}
	for i, m := range ms {
		mp := p.under(fmt.Sprintf("%s[%d].", path, i))
		if !localCodePattern.MatchString(m.Code) {
			mp.add("code", "材料编码应为小写英文，例如 id_card")
		} else if seen[m.Code] {
			mp.add("code", "材料编码“%s”重复", m.Code)
		}
		seen[m.Code] = true
		checkLength(mp, "name", "材料名称", m.Name, maxNameLen, true)
		checkLength(mp, "note", "材料说明", m.Note, maxTextLen, false)
		checkLength(mp, "commitment", "承诺书内容", m.Commitment, maxTextLen, false)
		if len(m.Formats) == 0 {
			mp.add("formats", "请设置允许的文件格式")
		}
		for j, f := range m.Formats {
			if !materialFormats[f] {
				mp.add(fmt.Sprintf("formats[%d]", j), "不支持的文件格式“%s”，可用 pdf、ofd、jpg、jpeg、png", f)
			}
		}
		if m.MaxKB < 1 || m.MaxKB > maxMaterialKB {
			mp.add("maxSizeKB", "文件大小上限应在1KB到%dKB之间", maxMaterialKB)
		}
	}
}

// checkSituations checks m's situations against its base form.
func checkSituations(p problems, m Matter) {
	keys, codes := map[string]bool{}, map[string]bool{}
	for _, f := range m.Fields {
		keys[f.Key] = true
	}
	for _, mt := range m.Materials {
		codes[mt.Code] = true
	}
	seen := map[string]bool{}
	for i, s := range m.Situations {
		sp := p.under(fmt.Sprintf("situations[%d].", i))
		if !localCodePattern.MatchString(s.Code) {
			sp.add("code", "情形编码应为小写英文，例如 by_agent")
		} else if seen[s.Code] {
			sp.add("code", "情形编码“%s”重复", s.Code)
		}
		seen[s.Code] = true
		checkLength(sp, "name", "情形名称", s.Name, maxNameLen, true)
		checkLength(sp, "description", "情形说明", s.Description, maxTextLen, false)
		checkFields(sp, "addFields", s.AddFields, remaining(sp, "removeFields", keys, s.RemoveFields))
		checkMaterials(sp, "addMaterials", s.AddMaterials, remaining(sp, "removeMaterials", codes, s.RemoveMaterials))
	}
}

// remaining returns the base keys left after removing removed, reporting
// any removed key the base does not have.
func remaining(p problems, path string, base map[string]bool, removed []string) map[string]bool {
	left := make(map[string]bool, len(base))
	for k := range base {
		left[k] = !slices.Contains(removed, k)
	}
	for i, k := range removed {
		if !base[k] {
			p.add(fmt.Sprintf("%s[%d]", path, i), "基本表单中没有“%s”，无法去掉", k)
		}
	}
	for k, keep := range left {
		if !keep {
			delete(left, k)
		}
	}
	return left
}

// checkReferences checks that the matters other matters refer to exist and
// that prerequisites never go round in a circle, which would make every
// matter of the circle impossible to file.
func checkReferences(p problems, matters map[string]Matter) {
	for _, code := range sortedKeys(matters) {
		m := matters[code]
		mp := p.under("matters[" + code + "].")
		for i, r := range m.Prerequisites {
			if _, ok := matters[r]; !ok {
				mp.add(fmt.Sprintf("prerequisites[%d]", i), "前置事项“%s”不存在", r)
			}
		}
		for i, r := range m.Related {
			if _, ok := matters[r]; !ok {
				mp.add(fmt.Sprintf("related[%d]", i), "关联事项“%s”不存在", r)
			}
		}
	}
	if code := prerequisiteCycle(matters); code != "" {
		p.add("matters["+code+"].prerequisites", "前置事项不能循环依赖")
	}
}

// prerequisiteCycle returns a matter on a circle of prerequisites, or "".
func prerequisiteCycle(matters map[string]Matter) string {
	const (
		visiting = 1
		done     = 2
	)
	state := map[string]int{}
	var visit func(code string) string
	visit = func(code string) string {
		switch state[code] {
		case visiting:
			return code
		case done:
			return ""
		}
		state[code] = visiting
		for _, r := range matters[code].Prerequisites {
			if c := visit(r); c != "" {
				return c
			}
		}
		state[code] = done
		return ""
	}
	for _, code := range sortedKeys(matters) {
		if c := visit(code); c != "" {
			return c
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
