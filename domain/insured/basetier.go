package insured

import "github.com/dandong-hrss/hrss/domain"

// BaseTierOptions are the pension contribution base tiers (养老个人缴费基数档次)
// open to a flexible-employment person this year: each tier is a percentage
// of the provincial average wage, and a higher tier costs more now and pays
// a higher pension later.
type BaseTierOptions struct {
	Year        int
	AverageWage domain.Fen // the monthly provincial average wage the tiers are reckoned on
	Current     int        // the tier in force, in percent
	Tiers       []BaseTier // ascending
}

// BaseTier is one choice of contribution base.
type BaseTier struct {
	Percent int        // of AverageWage: 60, 70, … 300
	Base    domain.Fen // the monthly base it gives
	Monthly domain.Fen // the person's monthly pension contribution at that base
}

// Offers reports whether percent is one of the tiers.
func (o BaseTierOptions) Offers(percent int) bool {
	for _, t := range o.Tiers {
		if t.Percent == percent {
			return true
		}
	}
	return false
}
