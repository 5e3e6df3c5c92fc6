package insured

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// UnemploymentClaim is one claim of unemployment benefit (失业保险金申领):
// how many months it entitles to, at what amount, and what was paid.
type UnemploymentClaim struct {
	RegisteredOn   time.Time // 失业登记日期
	EntitledMonths int       // 应领月数, by years of contributions: 12, 18 or 24
	PaidMonths     int
	Monthly        domain.Fen
	Status         ClaimStatus
	Payments       []UnemploymentPayment
}

// ClaimStatus is where an unemployment claim stands.
type ClaimStatus string

// The claim states.
const (
	Drawing ClaimStatus = "drawing" // 领取中
	Ended   ClaimStatus = "ended"   // 已领完 or stopped on re-employment
)

// Label returns the Chinese term shown to citizens.
func (s ClaimStatus) Label() string {
	if s == Drawing {
		return "领取中"
	}
	return "已终止"
}

// UnemploymentPayment is one month of unemployment benefit paid.
type UnemploymentPayment struct {
	Month  Month
	Amount domain.Fen
	PaidOn time.Time
}
