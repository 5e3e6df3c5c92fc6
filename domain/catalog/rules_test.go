package catalog_test

import (
	"encoding/json"
	"testing"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/catalog"
)

func ptr(v float64) *float64 { return &v }

// formFile is a small catalog whose one matter has a field of every type.
func formFile() catalog.File {
	m := catalog.Matter{
		Code: "insured.test_form", Name: "测试事项", Applicant: catalog.Person,
		Channels: []domain.Channel{domain.App, domain.Counter},
		Limits:   catalog.Limits{PromisedDays: 5, StatutoryDays: 10},
		Fields: []catalog.Field{
			{Key: "name", Label: "姓名", Type: catalog.Text, Required: true, Min: ptr(2), Max: ptr(4)},
			{Key: "code", Label: "登记编号", Type: catalog.Text, Pattern: "^DD[0-9]{4}$", PatternHint: "登记编号应为DD加4位数字", Example: "DD0001"},
			{Key: "note", Label: "备注", Type: catalog.Text},
			{Key: "age", Label: "年龄", Type: catalog.Number, Min: ptr(16), Max: ptr(70)},
			{Key: "amount", Label: "金额", Type: catalog.Money, Min: ptr(100), Max: ptr(1000000)},
			{Key: "birthDate", Label: "出生日期", Type: catalog.Date},
			{Key: "idNumber", Label: "身份证号码", Type: catalog.IDNumber, Required: true},
			{Key: "spouseId", Label: "配偶身份证号码", Type: catalog.IDNumber},
			{Key: "creditCode", Label: "统一社会信用代码", Type: catalog.CreditCode},
			{Key: "phone", Label: "联系电话", Type: catalog.Phone},
			{Key: "tier", Label: "缴费档次", Type: catalog.Select, Required: true, Options: []catalog.Option{{Value: "60", Label: "60%"}, {Value: "100", Label: "100%"}}},
			{Key: "agree", Label: "是否同意", Type: catalog.Boolean},
			{Key: "files", Label: "附件", Type: catalog.Files, Max: ptr(2)},
		},
	}
	return catalog.File{Version: 1, Matters: []catalog.Matter{m}}
}

const validID = "11010519491231002X"

func validData() map[string]any {
	return map[string]any{"name": "张三", "idNumber": validID, "tier": "60"}
}

func TestValidateForm(t *testing.T) {
	svc, _ := open(t, formFile())
	tests := []struct {
		name  string
		set   map[string]any
		field string
		want  string // the message; "" for valid data
	}{
		{"valid minimum", nil, "", ""},
		{"valid everything", map[string]any{"code": "DD1234", "note": "无", "age": 30.0, "amount": json.Number("5000"),
			"birthDate": "1990-01-31", "spouseId": "11010519491231002x", "creditCode": "91350100M000100Y43",
			"phone": "13812345678", "agree": false, "files": []any{"f1", "f2"}}, "", ""},
		{"optional empty values are not filled", map[string]any{"note": "", "age": nil, "files": []any{}}, "", ""},
		{"required missing", map[string]any{"name": nil}, "name", "请填写姓名"},
		{"required blank", map[string]any{"name": "   "}, "name", "请填写姓名"},
		{"required select missing", map[string]any{"tier": ""}, "tier", "请选择缴费档次"},
		{"text too short", map[string]any{"name": "张"}, "name", "姓名至少填写2个字"},
		{"text too long counts characters", map[string]any{"name": "欧阳一二三"}, "name", "姓名最多填写4个字"},
		{"text of wrong type", map[string]any{"name": 12.0}, "name", "姓名应填写文字"},
		{"pattern with hint", map[string]any{"code": "DD12"}, "code", "登记编号应为DD加4位数字"},
		{"number below min", map[string]any{"age": 15.0}, "age", "年龄不能小于16"},
		{"number above max", map[string]any{"age": 71}, "age", "年龄不能大于70"},
		{"number as text", map[string]any{"age": "30"}, "age", "年龄应填写数字"},
		{"money with fractions of a fen", map[string]any{"amount": 100.5}, "amount", "金额应为以分为单位的整数金额"},
		{"money negative", map[string]any{"amount": -100.0}, "amount", "金额不能为负数"},
		{"money below min in yuan", map[string]any{"amount": 99.0}, "amount", "金额不能少于1.00元"},
		{"money above max in yuan", map[string]any{"amount": 1000001.0}, "amount", "金额不能超过10,000.00元"},
		{"date malformed", map[string]any{"birthDate": "1990/01/31"}, "birthDate", "出生日期：日期格式不正确，请按“年-月-日”填写，例如2026-11-29"},
		{"date that does not exist", map[string]any{"birthDate": "1990-02-30"}, "birthDate", "出生日期：日期不存在，请核对年、月、日"},
		{"date with spaces", map[string]any{"birthDate": " 1990-01-31"}, "birthDate", "出生日期前后不能有空格"},
		{"ID check digit", map[string]any{"idNumber": "110105194912310021"}, "idNumber", "身份证号码校验位不正确，请核对后重新输入"},
		{"ID message names the field", map[string]any{"spouseId": "1101"}, "spouseId", "配偶身份证号码：身份证号码应为18位"},
		{"credit code length", map[string]any{"creditCode": "9135"}, "creditCode", "统一社会信用代码应为18位"},
		{"credit code lower case", map[string]any{"creditCode": "91350100m000100y43"}, "creditCode", "统一社会信用代码中的字母应为大写"},
		{"phone malformed", map[string]any{"phone": "1234"}, "phone", "联系电话：手机号码格式不正确，请输入11位手机号"},
		{"phone not canonical", map[string]any{"phone": "+86 138 1234 5678"}, "phone", "联系电话应为11位手机号码，不含空格、短横线或+86"},
		{"option not allowed", map[string]any{"tier": "300"}, "tier", "缴费档次的选项不在可选范围内，请重新选择"},
		{"boolean as text", map[string]any{"agree": "yes"}, "agree", "是否同意应选择“是”或“否”"},
		{"too many files", map[string]any{"files": []any{"a", "b", "c"}}, "files", "附件最多上传2个文件"},
		{"file list of wrong type", map[string]any{"files": "a"}, "files", "附件应为已上传文件的列表"},
		{"unknown key", map[string]any{"salary": 1.0}, "salary", "表单中没有这一项，请刷新页面后重新填写"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := validData()
			for k, v := range tt.set {
				data[k] = v
			}
			err := svc.ValidateForm("insured.test_form", "", data)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v; want valid", err)
				}
				return
			}
			got := fieldErrors(t, err)
			if got[tt.field] != tt.want || len(got) != 1 {
				t.Errorf("got %v; want only %s: %s", got, tt.field, tt.want)
			}
		})
	}
}

// Every field at fault is reported at once, in form order, so the
// applicant can fix them all in one go.
func TestValidateFormReportsEveryField(t *testing.T) {
	svc, _ := open(t, formFile())
	err := svc.ValidateForm("insured.test_form", "", map[string]any{"age": 3.0, "zzz": 1.0})
	var fields []string
	for _, f := range err.(*domain.Error).Fields {
		fields = append(fields, f.Field)
	}
	want := []string{"name", "age", "idNumber", "tier", "zzz"}
	if len(fields) != len(want) {
		t.Fatalf("got %v; want %v", fields, want)
	}
	for i := range want {
		if fields[i] != want[i] {
			t.Fatalf("got %v; want %v", fields, want)
		}
	}
}

func TestValidateFormUnknownMatterAndSituation(t *testing.T) {
	svc, _ := open(t, formFile())
	if err := svc.ValidateForm("pension.nothing", "", validData()); !domain.IsCode(err, domain.NotFound) {
		t.Errorf("unknown matter: got %v; want NotFound", err)
	}
	got := fieldErrors(t, svc.ValidateForm("insured.test_form", "abroad", validData()))
	if got["situation"] == "" {
		t.Errorf("unknown situation: got %v; want an error on situation", got)
	}
}

// The JSON Schema check runs after the Go rules and its verdict counts.
func TestValidateFormAsksTheSchema(t *testing.T) {
	sch := &schemas{}
	svc, err := catalog.Open(t.Context(), catalog.Config{Store: catalog.NewMemoryStore(), Schemas: sch, File: formFile()})
	if err != nil {
		t.Fatal(err)
	}
	sch.reject = domain.InvalidFields(domain.FieldError{Field: "name", Message: "姓名填写内容不符合要求"})
	if got := fieldErrors(t, svc.ValidateForm("insured.test_form", "", validData())); got["name"] == "" {
		t.Errorf("got %v; want the schema's verdict", got)
	}
	sch.reject = nil
	if err := svc.ValidateForm("insured.test_form", "", validData()); err != nil {
		t.Errorf("got %v; want valid", err)
	}
}
