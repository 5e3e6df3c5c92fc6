package insurance

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestRequestRoundTrip(t *testing.T) {
	in := Request{IDNumber: `2106<&>"'`, CreditCode: "91210600MA0000000X", Year: 2024, Page: 3, Size: 20, Percent: 150}
	data := AppendRequest(nil, OpUnitStaff, &in)
	var out Request
	if err := DecodeBody(data, OpUnitStaff, &out); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	if out != in {
		t.Errorf("got %+v; want %+v", out, in)
	}
	if strings.Contains(string(data), "percent>0") || strings.Contains(string(AppendRequest(nil, OpPerson, &Request{})), "<year>") {
		t.Error("zero fields are written; want them left out")
	}
}

func TestResponseRoundTrip(t *testing.T) {
	in := OverviewResponse{IDNumber: "210602199001011234", Status: PersonEmployed, PaidMonths: 120,
		Coverages: []CoverageXML{{Type: TypePension, Status: CoveragePaying, UnitName: "丹东华泰有限公司", Since: "201001", Base: "4141.00"}}}
	w := GetResponseWriter()
	defer w.Release()
	if err := w.Encode(OpOverview, &in); err != nil {
		t.Fatal(err)
	}
	var out OverviewResponse
	if err := DecodeBody(w.Buffer.Bytes(), OpOverview+"Response", &out); err != nil {
		t.Fatalf("%v: %s", err, w.Buffer.Bytes())
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("got %+v; want %+v", out, in)
	}
}

func TestFaultRoundTrip(t *testing.T) {
	in := Fault{Code: FaultCodeClient, String: "缴费档次不在可选范围内", Detail: FaultDetail{Code: FaultInvalidArgument, Field: "percent"}}
	var v struct{}
	err := DecodeBody(AppendFault(nil, &in), OpChangeBaseTier+"Response", &v)
	var f *Fault
	if !errors.As(err, &f) || *f != in {
		t.Errorf("got %v; want the fault %+v", err, in)
	}
}

// TestDecodeBodyReadsOtherWriters: another SOAP stack may use another
// prefix, a default namespace, a Header, and whitespace.
func TestDecodeBodyReadsOtherWriters(t *testing.T) {
	bodies := []string{
		`<SOAP-ENV:Envelope xmlns:SOAP-ENV="` + EnvelopeNamespace + `"><SOAP-ENV:Header><auth>x</auth></SOAP-ENV:Header>` +
			`<SOAP-ENV:Body><ns1:QueryPerson xmlns:ns1="` + Namespace + `"><ns1:idNumber>1</ns1:idNumber></ns1:QueryPerson></SOAP-ENV:Body></SOAP-ENV:Envelope>`,
		"<?xml version=\"1.0\"?>\n<Envelope xmlns=\"" + EnvelopeNamespace + "\">\n  <Body>\n    <QueryPerson xmlns=\"" + Namespace +
			"\">\n      <idNumber>1</idNumber>\n    </QueryPerson>\n  </Body>\n</Envelope>\n",
	}
	for _, body := range bodies {
		var r Request
		if err := DecodeBody([]byte(body), OpPerson, &r); err != nil || r.IDNumber != "1" {
			t.Errorf("got %+v, %v from %s", r, err, body)
		}
	}
}

func TestDecodeBodyRejects(t *testing.T) {
	ok := string(AppendRequest(nil, OpPerson, &Request{IDNumber: "1"}))
	for name, body := range map[string]string{
		"empty":             "",
		"not XML":           "idNumber=1",
		"no envelope":       `<QueryPerson xmlns="` + Namespace + `"><idNumber>1</idNumber></QueryPerson>`,
		"SOAP 1.2 envelope": strings.ReplaceAll(ok, EnvelopeNamespace, "http://www.w3.org/2003/05/soap-envelope"),
		"another operation": strings.ReplaceAll(ok, OpPerson, OpUnit),
		"truncated":         ok[:len(ok)/2],
	} {
		var r Request
		if err := DecodeBody([]byte(body), OpPerson, &r); err == nil {
			t.Errorf("%s: decoded %+v; want an error", name, r)
		}
	}
}
