package account

import (
	"time"

	"github.com/dandong-hrss/hrss/domain/transfer"
)

// BatchKind is what a batch upload (批量导入) declares.
type BatchKind string

// The batch kinds the enterprise channel accepts.
const (
	StaffAddBatch    BatchKind = "staff_add"        // 批量增员
	StaffRemoveBatch BatchKind = "staff_remove"     // 批量减员
	BaseBatch        BatchKind = "base_declaration" // 批量缴费基数申报
)

// Label returns the Chinese term.
func (k BatchKind) Label() string {
	switch k {
	case StaffAddBatch:
		return "批量增员"
	case StaffRemoveBatch:
		return "批量减员"
	case BaseBatch:
		return "缴费基数申报"
	}
	return "批量业务"
}

// Batch is one accepted batch upload: every row checked, then filed. Its
// applications are filed after the batch row is written and listed on it
// once all are; a batch left Filing by a crash is completed by repeating
// the upload with the same Idempotency-Key.
type Batch struct {
	ID             string // "BT" + time + random
	UnitRef        string
	OperatorID     string
	Kind           BatchKind
	IdempotencyKey string
	FileDigest     string // SHA-256 of the uploaded file: the same key with another file is refused
	Rows           int
	// SealedRows holds the checked rows as JSON, sealed: they name people.
	SealedRows     string
	ApplicationIDs []string
	Filed          bool
	CreatedAt      time.Time
	FiledAt        time.Time
}

// TransferFollow is the unit's follow-up of a staff transfer (人员转出/转入):
// the application filed with the counter core and the transfer filed with
// the provincial platform under the application's id, with the status last
// seen there and the status last texted to the person.
type TransferFollow struct {
	ApplicationID string
	UnitRef       string
	SealedUnit    string // the unit's credit code, sealed: the platform is told which unit files
	OperatorID    string
	Direction     transfer.Direction
	Insurance     transfer.Insurance
	From, To      transfer.Region
	SealedPerson  string // the ID number, sealed
	Person        string // masked display: 张* 2106**********123X
	SealedPhone   string // where status texts go, sealed; "" when unknown
	Number        string // 转移编号; "" until the platform took it
	Status        transfer.Status
	Notified      transfer.Status // the last status texted; "" before the first
	CreatedAt     time.Time
	UpdatedAt     time.Time
}
