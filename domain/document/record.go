package document

import (
	"time"

	"github.com/dandong-hrss/hrss/domain"
)

// Record is one print as the store keeps it (打印记录): who asked, through
// which channel and device, about whom (a blind index only), and the masked
// content with its digest, which is all the verify page shows.
type Record struct {
	Serial      string
	Kind        Kind
	Title       string
	Subject     string // masked, one line: "张* 2106**********123X"
	SubjectRef  string // blind index of the ID number or credit code; never shown
	RequestedBy Actor
	Channel     domain.Channel
	DeviceID    string
	PageSize    PageSize
	IssuedAt    time.Time
	Digest      string  // hex SHA-256 of Content's canonical form
	Content     Content // what was printed, masked
	RequestID   string
}

// Intact reports whether the stored content still hashes to the digest
// recorded at printing: false means the record was altered since, and the
// verify page must not vouch for it.
func (r Record) Intact() bool {
	return r.Content.Serial == r.Serial && r.Content.Digest() == r.Digest
}
