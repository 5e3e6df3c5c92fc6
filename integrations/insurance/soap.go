package insurance

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"sync"
)

// The SOAP 1.1 fault codes: whose fault a fault is.
const (
	FaultCodeClient = "soap:Client" // the request was wrong or names nothing known
	FaultCodeServer = "soap:Server" // the core failed to answer
)

// Fault is a SOAP 1.1 fault as the core sends it: a fault code, a Chinese
// fault string for its own operators, and a detail error code the client
// translates. It is an error so that DecodeBody can return it.
type Fault struct {
	Code   string      `xml:"faultcode"`
	String string      `xml:"faultstring"`
	Detail FaultDetail `xml:"detail>error"`
}

// FaultDetail is the machine-readable part of a Fault.
type FaultDetail struct {
	Code  string `xml:"code"`            // one of the Fault* detail codes
	Field string `xml:"field,omitempty"` // the request field at fault, for FaultInvalidArgument
}

// Error describes the fault for logs.
func (f *Fault) Error() string {
	return "soap fault " + f.Code + " " + f.Detail.Code + ": " + f.String
}

const (
	envelopeHead = `<?xml version="1.0" encoding="UTF-8"?>` +
		`<soap:Envelope xmlns:soap="` + EnvelopeNamespace + `"><soap:Body>`
	envelopeTail = `</soap:Body></soap:Envelope>`
)

// AppendRequest appends the envelope of a request for op to b. It writes by
// hand rather than through encoding/xml because the client sends one on
// every call and the fields are few and simple.
func AppendRequest(b []byte, op string, r *Request) []byte {
	b = append(b, envelopeHead...)
	b = append(b, '<')
	b = append(b, op...)
	b = append(b, ` xmlns="`+Namespace+`">`...)
	b = appendTextField(b, "idNumber", r.IDNumber)
	b = appendTextField(b, "creditCode", r.CreditCode)
	b = appendIntField(b, "year", r.Year)
	b = appendIntField(b, "page", r.Page)
	b = appendIntField(b, "size", r.Size)
	b = appendIntField(b, "percent", r.Percent)
	b = append(b, "</"...)
	b = append(b, op...)
	b = append(b, '>')
	return append(b, envelopeTail...)
}

func appendTextField(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(append(append(b, '<'), name...), '>')
	b = appendEscaped(b, value)
	return append(append(append(b, "</"...), name...), '>')
}

func appendIntField(b []byte, name string, value int) []byte {
	if value == 0 {
		return b
	}
	b = append(append(append(b, '<'), name...), '>')
	b = strconv.AppendInt(b, int64(value), 10)
	return append(append(append(b, "</"...), name...), '>')
}

// appendEscaped appends s with the five XML special characters escaped.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&#34;"...)
		case '\'':
			b = append(b, "&#39;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// AppendFault appends the envelope of a fault to b.
func AppendFault(b []byte, f *Fault) []byte {
	b = append(b, envelopeHead...)
	b = append(b, "<soap:Fault><faultcode>"...)
	b = appendEscaped(b, f.Code)
	b = append(b, `</faultcode><faultstring xml:lang="zh-CN">`...)
	b = appendEscaped(b, f.String)
	b = append(b, `</faultstring><detail><error xmlns="`+Namespace+`"><code>`...)
	b = appendEscaped(b, f.Detail.Code)
	b = append(b, "</code>"...)
	b = appendTextField(b, "field", f.Detail.Field)
	b = append(b, "</error></detail></soap:Fault>"...)
	return append(b, envelopeTail...)
}

// ResponseWriter encodes response envelopes into its Buffer. encoding/xml
// gives each new Encoder a 4 KiB write buffer, so a simulator serving
// thousands of answers a second keeps ResponseWriters in a pool (see
// GetResponseWriter) instead of making one per answer.
type ResponseWriter struct {
	Buffer bytes.Buffer
	enc    *xml.Encoder
	broken bool // an Encode failed half-way; the encoder's state is unknown
}

var responseWriters = sync.Pool{New: func() any {
	w := new(ResponseWriter)
	w.enc = xml.NewEncoder(&w.Buffer)
	return w
}}

// GetResponseWriter returns an empty ResponseWriter from the pool.
func GetResponseWriter() *ResponseWriter { return responseWriters.Get().(*ResponseWriter) }

// Release empties w and returns it to the pool; w must not be used after.
func (w *ResponseWriter) Release() {
	if w.broken || w.Buffer.Cap() > 1<<20 {
		return // let a broken encoder or an unusually large buffer go
	}
	w.Buffer.Reset()
	responseWriters.Put(w)
}

// Encode writes the envelope of op's response with body v.
func (w *ResponseWriter) Encode(op string, v any) error {
	w.Buffer.WriteString(envelopeHead)
	start := xml.StartElement{Name: xml.Name{Space: Namespace, Local: op + "Response"}}
	if err := w.enc.EncodeElement(v, start); err != nil {
		w.broken = true
		return err
	}
	if err := w.enc.Flush(); err != nil {
		w.broken = true
		return err
	}
	w.Buffer.WriteString(envelopeTail)
	return nil
}

// ErrNotEnvelope reports a body that is not a SOAP 1.1 envelope with the
// expected element in its Body.
var ErrNotEnvelope = errors.New("not a SOAP envelope with the expected body")

// DecodeBody reads a SOAP envelope and decodes the first element of its
// Body, which must have the local name want, into v. If the Body holds a
// soap:Fault instead, DecodeBody returns it as a *Fault.
func DecodeBody(data []byte, want string, v any) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	se, err := bodyElement(d)
	if err != nil {
		return err
	}
	if se.Name.Local == "Fault" && se.Name.Space == EnvelopeNamespace {
		f := new(Fault)
		if err := d.DecodeElement(f, &se); err != nil {
			return fmt.Errorf("%w: bad fault: %v", ErrNotEnvelope, err)
		}
		return f
	}
	if se.Name.Local != want {
		return fmt.Errorf("%w: got <%s>, want <%s>", ErrNotEnvelope, se.Name.Local, want)
	}
	return d.DecodeElement(v, &se)
}

// bodyElement advances d past the Envelope and Body start tags and returns
// the first element inside the Body.
func bodyElement(d *xml.Decoder) (xml.StartElement, error) {
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			return xml.StartElement{}, fmt.Errorf("%w: %v", ErrNotEnvelope, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case depth == 0 && se.Name.Local == "Envelope" && se.Name.Space == EnvelopeNamespace:
			depth = 1
		case depth == 1 && se.Name.Local == "Header" && se.Name.Space == EnvelopeNamespace:
			if err := d.Skip(); err != nil {
				return xml.StartElement{}, fmt.Errorf("%w: %v", ErrNotEnvelope, err)
			}
		case depth == 1 && se.Name.Local == "Body" && se.Name.Space == EnvelopeNamespace:
			depth = 2
		case depth == 2:
			return se, nil
		default:
			return xml.StartElement{}, fmt.Errorf("%w: unexpected <%s>", ErrNotEnvelope, se.Name.Local)
		}
	}
}
