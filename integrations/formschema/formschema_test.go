package formschema_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
	"github.com/dandong-hrss/hrss/integrations/formschema"
)

// form is one form of the embedded catalog: a matter in a situation or a
// bundle's merged form.
type form struct {
	id     string
	fields []catalog.Field
}

// forms returns every form of the embedded catalog.
func forms(t *testing.T) []form {
	t.Helper()
	file, err := catalog.EmbeddedFile()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := catalog.Open(context.Background(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: formschema.New(), File: file})
	if err != nil {
		t.Fatalf("Open with the real schemas: %v", err)
	}
	var out []form
	for _, s := range svc.List(catalog.Filter{}) {
		m, _ := svc.Matter(s.Code)
		for _, sit := range append([]catalog.Situation{{}}, m.Situations...) {
			f, err := svc.Form(m.Code, sit.Code)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, form{m.Code + "~" + sit.Code, f.Fields})
		}
	}
	for _, b := range svc.Bundles() {
		out = append(out, form{b.Code, b.Fields})
	}
	if len(out) < 60 {
		t.Fatalf("got %d forms; want every matter's", len(out))
	}
	return out
}

// roundTrip gives data the shape it has after decoding a request body.
func roundTrip(t *testing.T, data map[string]any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// badValues are values the schema must refuse for a field of each type.
var badValues = map[catalog.FieldType][]any{
	catalog.Text:       {12.0, true},
	catalog.Number:     {"12", true},
	catalog.Money:      {100.5, -1.0, "100"},
	catalog.Date:       {"2026/01/05", "2026-02-30", 20260105.0},
	catalog.IDNumber:   {"21060219800101001", "2106021980010100A1", 1.0},
	catalog.CreditCode: {"91210600MA0Y0000", "91210600MA0Y0000I0"},
	catalog.Phone:      {"1380000000", "+8613800000000", "12800000000"},
	catalog.Select:     {"no-such-option", 1.0},
	catalog.Boolean:    {"true", 1.0},
	catalog.Files:      {"file", []any{""}, []any{1.0}},
}

// Every form's schema compiles, accepts the form's sample data and refuses
// data with a bad value, a missing required field or an unknown key —
// naming the field at fault.
func TestEveryFormsSchema(t *testing.T) {
	v := formschema.New()
	for _, f := range forms(t) {
		check, err := v.Compile(f.id, f.fields)
		if err != nil {
			t.Fatalf("%s: compile: %v", f.id, err)
		}
		sample := roundTrip(t, catalog.SampleForm(f.fields))
		if err := check(sample); err != nil {
			t.Errorf("%s: sample refused: %v", f.id, err)
			continue
		}
		for _, fd := range f.fields {
			for _, bad := range badValues[fd.Type] {
				data := roundTrip(t, catalog.SampleForm(f.fields))
				data[fd.Key] = bad
				wantFieldError(t, f.id+" "+fd.Key, check(data), fd.Key)
			}
			if fd.Required {
				data := roundTrip(t, catalog.SampleForm(f.fields))
				delete(data, fd.Key)
				wantFieldError(t, f.id+" missing "+fd.Key, check(data), fd.Key)
			}
		}
		sample["notInTheForm"] = "x"
		wantFieldError(t, f.id+" unknown key", check(sample), "notInTheForm")
	}
}

func wantFieldError(t *testing.T, what string, err error, field string) {
	t.Helper()
	if !domain.IsCode(err, domain.Invalid) {
		t.Errorf("%s: got %v; want Invalid", what, err)
		return
	}
	for _, f := range err.(*domain.Error).Fields {
		if f.Field == field {
			return
		}
	}
	t.Errorf("%s: got %v; want a FieldError on %s", what, err, field)
}

// The schema's refusal names the field in Chinese and keeps the value out
// of the error, where logs would see it.
func TestMismatchNamesFieldsWithoutValues(t *testing.T) {
	fields := []catalog.Field{
		{Key: "idNumber", Label: "身份证号码", Type: catalog.IDNumber, Required: true},
		{Key: "name", Label: "姓名", Type: catalog.Text, Required: true},
	}
	check, err := formschema.New().Compile("test", fields)
	if err != nil {
		t.Fatal(err)
	}
	err = check(map[string]any{"idNumber": "21060219800101001Z"})
	de, _ := err.(*domain.Error)
	if de == nil || len(de.Fields) != 2 {
		t.Fatalf("got %v; want errors on idNumber and name", err)
	}
	got := map[string]string{}
	for _, f := range de.Fields {
		got[f.Field] = f.Message
	}
	if got["idNumber"] != "身份证号码填写内容不符合要求" || got["name"] != "请填写姓名" {
		t.Errorf("got %v; want Chinese messages naming 身份证号码 and 姓名", got)
	}
	if strings.Contains(err.Error(), "21060219800101001Z") {
		t.Errorf("error text holds the value: %s", err.Error())
	}
}

// The schema document is what clients and OpenAPI get: labels, options,
// required keys and no extra properties.
func TestSchemaDocument(t *testing.T) {
	doc := formschema.Schema("社会保障卡申领", []catalog.Field{
		{Key: "delivery", Label: "领卡方式", Type: catalog.Select, Required: true,
			Options: []catalog.Option{{Value: "counter", Label: "到网点领取"}, {Value: "mail", Label: "邮寄到家"}}},
		{Key: "fee", Label: "费用", Type: catalog.Money},
	})
	raw, _ := json.Marshal(doc)
	for _, want := range []string{`"$schema":"https://json-schema.org/draft/2020-12/schema"`, `"required":["delivery"]`,
		`"additionalProperties":false`, `{"const":"mail","title":"邮寄到家"}`, `"title":"领卡方式"`, `"type":"integer"`} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("schema lacks %s:\n%s", want, raw)
		}
	}
}

// The service with the real schemas: valid data passes both checks.
func TestServiceWithSchemas(t *testing.T) {
	file, _ := catalog.EmbeddedFile()
	svc, err := catalog.Open(context.Background(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: formschema.New(), File: file})
	if err != nil {
		t.Fatal(err)
	}
	f, _ := svc.Form("unit.registration", "")
	if err := svc.ValidateForm("unit.registration", "", roundTrip(t, catalog.SampleForm(f.Fields))); err != nil {
		t.Errorf("got %v; want valid", err)
	}
}
