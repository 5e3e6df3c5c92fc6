// Package acceptance is what the BFF tells the counter acceptance and
// dispatch core (综合柜员制受理 + 审核调度) and what it hears back.
//
// Every application (申请) from every channel ends up there: the BFF submits
// it, the core accepts it as a case (办件) with a case number and a promised
// completion date, and staff take it through the matter's workflow — 受理 →
// 审核 → 审批 → 办结 — as tasks they claim, transfer, send back or complete.
// Each change comes back to the BFF as an Event, pushed by webhook and also
// readable by polling, so the citizen sees progress on every channel.
//
// Idempotency is the contract that makes this safe: the BFF generates the
// application id, commits it with its outbox row, and may submit the same
// application any number of times; the core answers every repeat with the
// same case and never opens a second one.
package acceptance

import "context"

// Core is the port to the counter acceptance and dispatch core. Every method
// may also return Unavailable when the core is down or its circuit breaker is
// open, Timeout when it does not answer in time, and Internal when it answers
// something that cannot be understood or refuses our credentials; those are
// not repeated below.
type Core interface {
	// Submit hands one application to the core and returns its receipt
	// (受理回执). It is idempotent on Submission.ApplicationID: a repeat
	// returns the receipt of the case already opened, so the BFF retries
	// freely. A matter the core does not know is accepted as a generic
	// intake (纯接件, Receipt.Generic) that staff route by hand. Errors:
	// Invalid for a submission missing what the core needs; Conflict when
	// the application id was already used for another matter or applicant.
	Submit(ctx context.Context, s Submission) (Receipt, error)

	// Case returns the case's current state (进度查询). Errors: NotFound for
	// an unknown case number.
	Case(ctx context.Context, caseNo string) (Case, error)

	// Events returns up to limit events after the cursor, oldest first, and
	// the cursor to pass next time ("" starts at the beginning; the returned
	// cursor equals after when nothing is new). It is the polling fallback
	// of the webhook and the way to catch up after an outage. Errors:
	// Invalid for a cursor the core never issued.
	Events(ctx context.Context, after string, limit int) ([]Event, string, error)

	// SupplyMaterials hands over the materials the staff asked for (补齐材料)
	// and puts the case back into the hands of whoever asked. Repeating the
	// same supply is harmless. Errors: Invalid for an empty list; NotFound
	// for an unknown case; Conflict when the case is not waiting for
	// materials.
	SupplyMaterials(ctx context.Context, caseNo string, materials []Material) error

	// Withdraw withdraws the application at the applicant's request (撤回)
	// and cancels its open task. Repeating it is harmless. Errors: NotFound
	// for an unknown case; Conflict when the case is already decided
	// (completed, rejected or terminated).
	Withdraw(ctx context.Context, caseNo, reason string) error
}
