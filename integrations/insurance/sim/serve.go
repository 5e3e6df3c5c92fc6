package sim

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/dandong-hrss/hrss/integrations/insurance"
)

// operation answers one SOAP operation: a response body, or a fault.
type operation func(s *Sim, req *insurance.Request) (any, *insurance.Fault)

// operations maps each SOAPAction operation to its handler (ops.go).
var operations = map[string]operation{
	insurance.OpPerson:          (*Sim).opPerson,
	insurance.OpOverview:        (*Sim).opOverview,
	insurance.OpContributions:   (*Sim).opContributions,
	insurance.OpPensionAccount:  (*Sim).opPensionAccount,
	insurance.OpPensionBenefit:  (*Sim).opPensionBenefit,
	insurance.OpPensionPayments: (*Sim).opPensionPayments,
	insurance.OpWorkInjuries:    (*Sim).opWorkInjuries,
	insurance.OpUnemployment:    (*Sim).opUnemployment,
	insurance.OpBaseTiers:       (*Sim).opBaseTiers,
	insurance.OpChangeBaseTier:  (*Sim).opChangeBaseTier,
	insurance.OpUnit:            (*Sim).opUnit,
	insurance.OpUnitStaff:       (*Sim).opUnitStaff,
	insurance.OpUnitRates:       (*Sim).opUnitRates,
	insurance.OpUnitAssessments: (*Sim).opUnitAssessments,
	insurance.OpUnitPayments:    (*Sim).opUnitPayments,
}

// maxRequest bounds a request body; real requests are a few hundred bytes.
const maxRequest = 64 << 10

var requestBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// contentType is shared by every answer; net/http does not modify header
// values, so one slice serves all.
var contentType = []string{"text/xml; charset=utf-8"}

// serveSOAP answers one SOAP request: the SOAPAction picks the operation,
// the body carries its Request.
func (s *Sim) serveSOAP(w http.ResponseWriter, r *http.Request) {
	op := operationOf(r.Header.Get("SOAPAction"))
	handle, ok := operations[op]
	if !ok {
		writeFault(w, clientFault(insurance.FaultUnknownOperation, "", "未知的服务操作"))
		return
	}
	buf := requestBuffers.Get().(*bytes.Buffer)
	defer func() { buf.Reset(); requestBuffers.Put(buf) }()
	var req insurance.Request
	if _, err := buf.ReadFrom(io.LimitReader(r.Body, maxRequest)); err != nil {
		return // the client went away
	}
	if err := insurance.DecodeBody(buf.Bytes(), op, &req); err != nil {
		writeFault(w, clientFault(insurance.FaultInvalidArgument, "", "请求报文格式错误"))
		return
	}
	resp, fault := handle(s, &req)
	if fault != nil {
		writeFault(w, fault)
		return
	}
	writeResponse(w, op, resp)
}

// operationOf takes the operation from a SOAPAction header such as
// "urn:dandong-hrss:si-core:v1#QueryPerson", quoted or not.
func operationOf(action string) string {
	action = strings.Trim(action, `"`)
	if k := strings.LastIndexAny(action, "#/"); k >= 0 {
		return action[k+1:]
	}
	return action
}

func writeResponse(w http.ResponseWriter, op string, body any) {
	rw := insurance.GetResponseWriter()
	defer rw.Release()
	if err := rw.Encode(op, body); err != nil {
		writeFault(w, &insurance.Fault{Code: insurance.FaultCodeServer, String: "应答报文生成失败",
			Detail: insurance.FaultDetail{Code: insurance.FaultBusy}})
		return
	}
	h := w.Header()
	h["Content-Type"] = contentType
	h.Set("Content-Length", strconv.Itoa(rw.Buffer.Len()))
	w.Write(rw.Buffer.Bytes())
}

// writeFault answers a fault with 500 Internal Server Error, as SOAP 1.1
// requires of every fault.
func writeFault(w http.ResponseWriter, f *insurance.Fault) {
	b := insurance.AppendFault(make([]byte, 0, 512), f)
	h := w.Header()
	h["Content-Type"] = contentType
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(b)
}

// writeBusy is how the injector's simulated server errors look: the fault
// the real core gives when its database connections run out.
func writeBusy(w http.ResponseWriter, _ *http.Request) {
	writeFault(w, &insurance.Fault{Code: insurance.FaultCodeServer, String: "系统繁忙，请稍后再试",
		Detail: insurance.FaultDetail{Code: insurance.FaultBusy}})
}

// clientFault is a fault caused by the request: an unknown person, a wrong
// field.
func clientFault(code, field, message string) *insurance.Fault {
	return &insurance.Fault{Code: insurance.FaultCodeClient, String: message,
		Detail: insurance.FaultDetail{Code: code, Field: field}}
}

// The faults the operations give.
var (
	personNotFound = clientFault(insurance.FaultPersonNotFound, "", "未查询到该人员的参保信息")
	unitNotFound   = clientFault(insurance.FaultUnitNotFound, "", "未查询到该单位的参保信息")
	noPension      = clientFault(insurance.FaultNoPension, "", "该人员未领取养老待遇")
	notFlexible    = clientFault(insurance.FaultNotFlexible, "", "该人员不是灵活就业人员，不能选择缴费档次")
	badYear        = clientFault(insurance.FaultInvalidArgument, "year", "查询年度不正确")
	badPage        = clientFault(insurance.FaultInvalidArgument, "page", "页码不正确")
	badSize        = clientFault(insurance.FaultInvalidArgument, "size", "每页条数不正确")
	badTier        = clientFault(insurance.FaultInvalidArgument, "percent", "缴费档次不在可选范围内")
)
