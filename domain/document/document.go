// Package document issues the bureau's printed documents (打印文书) — the
// slips, statements, receipts and notices every channel prints — and lets
// anyone verify one afterwards (扫码核验).
//
// A Document is what a channel wants printed. Issue gives it an unguessable
// serial (文书编号), masks every personal value, fixes the canonical content
// and its SHA-256 digest, has the Renderer draw the PDF with a QR code
// pointing at the public verify page, and records the print. The record keeps
// only masked content and the subject's blind index, never a raw ID number or
// name, so the public /verify/{serial} page can show what was printed and
// prove — by recomputing the digest — that the record is unaltered.
package document

import (
	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/audit"
)

// Kind is the sort of document. Its value is stored with every print.
type Kind string

// The kinds of document the channels print (seed 2.1(三)4–7, 2.2 受理文书).
const (
	PersonalStatement    Kind = "personal_statement"     // 个人对账单 (个人权益记录)
	BenefitSlip          Kind = "benefit_slip"           // 待遇信息单
	AssessmentSlip       Kind = "assessment_slip"        // 单位缴费核定单
	BatchAssessment      Kind = "batch_assessment"       // 批量核定单
	LargeAmountInsurance Kind = "large_amount_insurance" // 大额保险单
	EmploymentNotice     Kind = "employment_notice"      // 就业告知书
	AcceptanceReceipt    Kind = "acceptance_receipt"     // 受理回执
	PaymentReceipt       Kind = "payment_receipt"        // 缴费凭证
	CertificationResult  Kind = "certification_result"   // 待遇资格认证结果
	InsuranceCertificate Kind = "insurance_certificate"  // 参保缴费证明
)

var kindLabels = map[Kind]string{
	PersonalStatement:    "个人对账单",
	BenefitSlip:          "待遇信息单",
	AssessmentSlip:       "单位缴费核定单",
	BatchAssessment:      "批量核定单",
	LargeAmountInsurance: "大额保险单",
	EmploymentNotice:     "就业告知书",
	AcceptanceReceipt:    "受理回执",
	PaymentReceipt:       "缴费凭证",
	CertificationResult:  "待遇资格认证结果",
	InsuranceCertificate: "参保缴费证明",
}

// Label is the kind's Chinese name, the default title and what the verify
// page says was printed; "文书" for an unknown kind.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return "文书"
}

// Known reports whether k is one of the kinds above.
func (k Kind) Known() bool { _, ok := kindLabels[k]; return ok }

// PageSize is the paper a document is laid out for.
type PageSize string

// The papers: office printers take A4; the kiosks' thermal printers take an
// 80 mm roll, so a receipt is 80 mm wide and as long as its content.
const (
	A4          PageSize = "a4"
	Receipt80mm PageSize = "receipt80mm"
)

// Known reports whether p is A4 or Receipt80mm.
func (p PageSize) Known() bool { return p == A4 || p == Receipt80mm }

// Document is what a channel asks to have printed. Issue masks the subject
// and every text for print; callers still should not put raw ID or phone
// numbers in Sections (they come out masked, not as written).
type Document struct {
	Kind     Kind
	Title    string // "" prints Kind.Label()
	Subject  Subject
	Sections []Section
	PageSize PageSize
	Issuer   Issuer
	// RequestedBy is who asked for the print: a citizen by the index of
	// their ID number, a unit operator, staff or a kiosk by id.
	RequestedBy Actor
	RequestID   string // ties the print to the access log; optional
}

// Subject is whom the document is about: a person, by ID number and name,
// or a unit (单位), by unified social credit code and name.
type Subject struct {
	Name string            // the person's name (printed masked, 张*) or the unit's name (printed as is)
	ID   domain.IDNumber   // a person's ID number: printed masked, recorded only as its blind index
	Unit domain.CreditCode // a unit's credit code: public on its business licence, printed in full
}

// Section is one block of the document: a heading, label/value rows and
// optionally a table below them.
type Section struct {
	Heading string `json:"heading"`
	Rows    []Row  `json:"rows"`
	Table   *Table `json:"table,omitempty"`
}

// Row is one label/value line (姓名：张*).
type Row struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Table is a grid with a header row; long cells wrap. Widths, when given,
// are relative column weights (one per column); otherwise columns share the
// width equally.
type Table struct {
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
	Widths  []float64  `json:"widths,omitempty"`
}

// Issuer is where the document was printed. The bureau's names come from
// the service's configuration.
type Issuer struct {
	Channel  domain.Channel
	DeviceID string // the kiosk's device id; "" elsewhere
}

// Actor is who asked for a print, in the audit log's terms: never a raw ID
// number, always a reference.
type Actor struct {
	Kind audit.ActorKind
	Ref  string
}
