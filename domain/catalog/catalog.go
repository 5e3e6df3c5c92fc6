// Package catalog is the matter catalogue (事项库): every service matter
// (服务事项) a citizen or unit can apply for — its form (申请表), materials
// (申请材料), time limits, channels, prerequisite and related matters, and
// situations (多情形) — and the ten bundles (一件事打包办) of the 人社服务快办行动
// that file several matters with one form and one set of materials.
//
// The data is catalog.json in this folder, versioned with the code and
// embedded in the binary. At start it is imported into the Store when its
// version is newer than the one the store last imported (see Open): a
// release with a newer file wins, while administrators' changes made through
// the API survive restarts until then.
//
// Reads happen on every page of every channel at peak, so the catalog in
// memory is an immutable *Catalog behind an atomic pointer: readers never
// lock, and a change builds, checks and compiles a whole new Catalog before
// swapping it in.
package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/dandong-hrss/hrss/domain"
)

// Catalog is one immutable version of the catalog: checked, with every
// form's schema compiled. Its methods return copies.
type Catalog struct {
	fileVersion int64
	revision    int64
	etag        string
	matters     map[string]*matterEntry
	codes       []string // sorted
	bundles     map[string]*bundleEntry
	bundleCodes []string // sorted
}

type matterEntry struct {
	matter Matter
	hash   string
	forms  map[string]compiledForm // by situation code; "" is the base form
}

type compiledForm struct {
	form  Form
	check FormCheck
}

type bundleEntry struct {
	view   BundleView
	hash   string
	owners map[string][]string // field key → the matters that ask it
	check  FormCheck
}

// ETag identifies the catalog's content: equal content gives an equal tag
// on every instance, any change a different one. It is a quoted strong
// entity tag, ready for an HTTP ETag header.
func (c *Catalog) ETag() string { return c.etag }

// FileVersion is the version of the catalog file last imported.
func (c *Catalog) FileVersion() int64 { return c.fileVersion }

// Revision is the store's revision this catalog was built from.
func (c *Catalog) Revision() int64 { return c.revision }

// Matter returns the matter with the given code.
func (c *Catalog) Matter(code string) (Matter, bool) {
	e, ok := c.matters[code]
	if !ok {
		return Matter{}, false
	}
	return e.matter.Clone(), true
}

// Contents returns the catalog's definitions, as a store holds them.
func (c *Catalog) Contents() Contents {
	out := Contents{FileVersion: c.fileVersion, Revision: c.revision}
	for _, code := range c.codes {
		out.Matters = append(out.Matters, c.matters[code].matter.Clone())
	}
	for _, code := range c.bundleCodes {
		out.Bundles = append(out.Bundles, c.bundles[code].view.Bundle.clone())
	}
	return out
}

// build checks contents and compiles every form into a new Catalog.
// Compiled checks of prev are reused for matters whose definition did not
// change. A definition problem is an Invalid *domain.Error naming each.
func build(contents Contents, prev *Catalog, schemas SchemaValidator) (*Catalog, error) {
	p := newProblems()
	matters := map[string]Matter{}
	for i, m := range contents.Matters {
		if _, dup := matters[m.Code]; dup {
			p.add(fmt.Sprintf("matters[%d].code", i), "事项编码“%s”重复", m.Code)
		}
		checkMatter(p.under("matters["+m.Code+"]."), m)
		matters[m.Code] = m
	}
	checkReferences(p, matters)
	c := &Catalog{
		fileVersion: contents.FileVersion, revision: contents.Revision,
		matters: map[string]*matterEntry{}, bundles: map[string]*bundleEntry{},
		codes: sortedKeys(matters),
	}
	for _, b := range contents.Bundles {
		bp := p.under("bundles[" + b.Code + "].")
		if _, dup := c.bundles[b.Code]; dup {
			bp.add("code", "一件事编码“%s”重复", b.Code)
		}
		checkBundle(bp, b)
		view, owners := viewBundle(bp, b, matters)
		c.bundles[b.Code] = &bundleEntry{view: view, owners: owners, hash: hashOf(b)}
	}
	c.bundleCodes = sortedKeys(c.bundles)
	if err := p.err(); err != nil {
		return nil, err
	}
	if err := c.compile(matters, prev, schemas); err != nil {
		return nil, err
	}
	c.etag = c.computeETag()
	return c, nil
}

// compile fills in the entries with their forms' compiled checks.
func (c *Catalog) compile(matters map[string]Matter, prev *Catalog, schemas SchemaValidator) error {
	for _, code := range c.codes {
		m := matters[code]
		e := &matterEntry{matter: m.Clone(), hash: hashOf(m)}
		if old, ok := prev.matterEntry(code); ok && old.hash == e.hash {
			e.forms = old.forms
		} else if err := e.compile(schemas); err != nil {
			return err
		}
		c.matters[code] = e
	}
	for _, code := range c.bundleCodes {
		e := c.bundles[code]
		check, err := schemas.Compile(code, e.view.Fields)
		if err != nil {
			return schemaProblem("bundles["+code+"]", err)
		}
		e.check = check
	}
	return nil
}

func (e *matterEntry) compile(schemas SchemaValidator) error {
	e.forms = map[string]compiledForm{}
	situations := []string{""}
	for _, s := range e.matter.Situations {
		situations = append(situations, s.Code)
	}
	for _, s := range situations {
		form, err := e.matter.Form(s)
		if err != nil {
			return err
		}
		id := e.matter.Code
		if s != "" {
			id += "~" + s
		}
		check, err := schemas.Compile(id, form.Fields)
		if err != nil {
			return schemaProblem("matters["+e.matter.Code+"]", err)
		}
		e.forms[s] = compiledForm{form: form, check: check}
	}
	return nil
}

func schemaProblem(path string, err error) error {
	return &domain.Error{Code: domain.Invalid, Message: "事项定义有误，请按提示修改后重新保存",
		Fields: []domain.FieldError{{Field: path + ".fields", Message: "无法为该表单生成校验规则"}}, Err: err}
}

func (c *Catalog) matterEntry(code string) (*matterEntry, bool) {
	if c == nil {
		return nil, false
	}
	e, ok := c.matters[code]
	return e, ok
}

// computeETag hashes every definition's hash, in code order.
func (c *Catalog) computeETag() string {
	h := sha256.New()
	for _, code := range c.codes {
		fmt.Fprintf(h, "m %s %s\n", code, c.matters[code].hash)
	}
	for _, code := range c.bundleCodes {
		fmt.Fprintf(h, "b %s %s\n", code, c.bundles[code].hash)
	}
	return `"` + hex.EncodeToString(h.Sum(nil))[:24] + `"`
}

// hashOf fingerprints a definition by its JSON encoding.
func hashOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("catalog: encode definition: %v", err)) // definitions are plain data
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
