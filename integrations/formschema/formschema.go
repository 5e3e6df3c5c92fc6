// Package formschema gives each form of the matter catalogue (事项库) its
// JSON Schema (draft 2020-12): the document clients render forms from and
// the OpenAPI description embeds, and the second opinion the catalog runs
// after its own rules (it implements catalog.SchemaValidator with
// github.com/santhosh-tekuri/jsonschema/v6).
//
// The schema says what the canonical data is; the catalog's Go rules are
// at least as strict and give the Chinese messages. Two conventions the
// schema relies on:
//
//   - an optional field is left empty by leaving it out; the catalog drops
//     null, "" and [] values before asking the schema;
//   - patterns use the syntax common to Go's regexp and ECMA-262.
package formschema

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Draft is the JSON Schema dialect of every schema made here.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// Patterns of the typed string fields, as canonical data must be: an ID
// number with its check character (a lower-case x forgiven), a credit code
// in the GB 32100 alphabet, a mainland mobile number.
const (
	idNumberPattern   = "^[0-9]{17}[0-9Xx]$"
	creditCodePattern = "^[0-9A-HJ-NP-RTUWXY]{18}$"
	phonePattern      = "^1[3-9][0-9]{9}$"
)

// maxFileID bounds an uploaded file id, as the catalog does.
const maxFileID = 128

// Schema returns the JSON Schema of a form made of fields, titled title
// (the matter's name). It is a plain JSON value, ready to marshal or embed.
func Schema(title string, fields []catalog.Field) map[string]any {
	props := map[string]any{}
	required := []any{}
	for _, f := range fields {
		props[f.Key] = property(f)
		if f.Required {
			required = append(required, f.Key)
		}
	}
	return map[string]any{
		"$schema":              Draft,
		"title":                title,
		"type":                 "object",
		"properties":           props,
		"required":             required,
		"additionalProperties": false,
	}
}

// property returns the schema of one field.
func property(f catalog.Field) map[string]any {
	p := map[string]any{"title": f.Label, "examples": []any{f.SampleValue()}}
	if f.Help != "" {
		p["description"] = f.Help
	}
	switch f.Type {
	case catalog.Text:
		p["type"] = "string"
		setBound(p, "minLength", f.Min, minFilled(f))
		setBound(p, "maxLength", f.Max, nil)
		if f.Pattern != "" {
			p["pattern"] = f.Pattern
		}
	case catalog.Number:
		p["type"] = "number"
		setBound(p, "minimum", f.Min, nil)
		setBound(p, "maximum", f.Max, nil)
	case catalog.Money:
		p["type"] = "integer"
		p["description"] = joinText("金额以分为单位", f.Help)
		zero := 0.0
		setBound(p, "minimum", f.Min, &zero)
		setBound(p, "maximum", f.Max, nil)
	case catalog.Date:
		p["type"], p["format"] = "string", "date"
	case catalog.IDNumber:
		p["type"], p["pattern"] = "string", idNumberPattern
	case catalog.CreditCode:
		p["type"], p["pattern"] = "string", creditCodePattern
	case catalog.Phone:
		p["type"], p["pattern"] = "string", phonePattern
	case catalog.Select:
		p["type"], p["oneOf"] = "string", options(f.Options)
	case catalog.Boolean:
		p["type"] = "boolean"
	case catalog.Files:
		p["type"] = "array"
		p["items"] = map[string]any{"type": "string", "minLength": 1, "maxLength": maxFileID}
		setBound(p, "minItems", f.Min, minFilled(f))
		setBound(p, "maxItems", f.Max, nil)
	}
	return p
}

// minFilled is the least length of a required text or file list: a
// present value must not be empty.
func minFilled(f catalog.Field) *float64 {
	if !f.Required {
		return nil
	}
	one := 1.0
	return &one
}

// setBound sets keyword to the larger of b and floor, if either is set.
func setBound(p map[string]any, keyword string, b, floor *float64) {
	switch {
	case b != nil && floor != nil:
		p[keyword] = max(*b, *floor)
	case b != nil:
		p[keyword] = *b
	case floor != nil:
		p[keyword] = *floor
	}
}

// options are a select's choices as labelled constants, the JSON Schema
// idiom that keeps both the value and the label a client shows.
func options(os []catalog.Option) []any {
	out := make([]any, len(os))
	for i, o := range os {
		out[i] = map[string]any{"const": o.Value, "title": o.Label}
	}
	return out
}

func joinText(a, b string) string {
	if b == "" {
		return a
	}
	return a + "；" + b
}

// compileSchema compiles doc under a URL made from id.
func compileSchema(id string, doc map[string]any) (*jsonschema.Schema, error) {
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	url := "https://schemas.hrss.invalid/forms/" + id + ".json"
	if err := c.AddResource(url, parsed); err != nil {
		return nil, fmt.Errorf("schema of form %s: %w", id, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema of form %s: %w", id, err)
	}
	return sch, nil
}
