// Package audit keeps the audit log (审计日志) that GB/T 22239 level 3
// requires: every read of a person's data and every change, with who did it,
// through which channel, what, to whom, when, and whether it succeeded. The
// log is append-only: the Store port has no way to change or remove an entry.
//
// Nothing in the log identifies a person by raw data: actors and subjects are
// references — the blind index of an ID number (privacy.IDIndex), a unit's
// index (privacy.UnitIndex), or an opaque account, staff or device id — and
// the Recorder masks anything in Detail that looks like an ID or phone number.
//
// Reads happen at 1000 per second, so recording is cheap: Record puts the
// entry in a bounded buffer that a background writer flushes to the Store in
// multi-row batches.
package audit

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dandong-hrss/hrss/domain"
)

// ActorKind says what sort of actor did something.
type ActorKind string

// The actors of the system.
const (
	Person       ActorKind = "person"        // an insured citizen, by the index of their ID number
	UnitOperator ActorKind = "unit_operator" // an employer's clerk (单位经办人), by operator account id
	Staff        ActorKind = "staff"         // bureau staff at the counter or back office, by staff id
	Device       ActorKind = "device"        // a kiosk acting without a card in it, by device id
	System       ActorKind = "system"        // the server itself: jobs, the outbox, callbacks
)

var actorKinds = map[ActorKind]bool{Person: true, UnitOperator: true, Staff: true, Device: true, System: true}

// OK is the Outcome of an action that succeeded; any other outcome is the
// domain.Code of the error that stopped it.
const OK = "ok"

// OutcomeOf is the Outcome to record for an action that ended with err:
// OK for nil, otherwise its code ("forbidden", "not_found", …), which says
// whether the attempt was refused without repeating the error's text.
func OutcomeOf(err error) string {
	if err == nil {
		return OK
	}
	return string(domain.ErrorCode(err))
}

// Entry is one line of the audit log.
type Entry struct {
	At         time.Time      // when; Record fills in the current time when zero
	ActorKind  ActorKind      // who sort of actor
	ActorRef   string         // which one: a blind index or an opaque account id, never a raw ID number
	Channel    domain.Channel // through which channel; empty for System
	Action     string         // a short verb phrase: "insured.overview.read", "declaration.submit"
	Outcome    string         // OK or a domain.Code; Record fills in OK when empty
	SubjectRef string         // whose data: the blind index of the person or unit concerned
	RequestID  string         // ties the entry to the access log line
	Detail     map[string]string
}

// The column limits every Store keeps; the Recorder cuts values to fit so
// one odd entry can never make a whole batch fail.
const (
	MaxRefLen     = 64 // ActorRef, SubjectRef, RequestID
	MaxActionLen  = 64
	MaxChannelLen = 16
	MaxOutcomeLen = 16
	MaxDetailKeys = 16
	MaxDetailLen  = 256 // each Detail key and value
)

// Store keeps the audit log. It is append-only: there is no method to
// change or delete an entry, so no code path in this server can.
type Store interface {
	// Append writes entries, in order, in as few statements as it can.
	// Error: Unavailable or Internal when the database fails; the Recorder
	// retries the same batch.
	Append(ctx context.Context, entries []Entry) error
	// ForSubject returns the latest entries about subjectRef, newest first,
	// at most limit (1–1000; out of range means 100). No entries is not an
	// error.
	ForSubject(ctx context.Context, subjectRef string, limit int) ([]Entry, error)
}

// check reports what makes e unrecordable, "" if nothing: these are
// programming errors, caught before they reach the buffer.
func (e *Entry) check() string {
	switch {
	case !actorKinds[e.ActorKind]:
		return "unknown actor kind"
	case strings.TrimSpace(e.Action) == "":
		return "no action"
	}
	return ""
}

// clean returns e cut to the column limits, with anything that looks like an
// ID or phone number masked in every free-text field: the last line of
// defence if a caller passes raw data where a reference belongs.
func (e Entry) clean() Entry {
	e.At = e.At.UTC().Truncate(time.Millisecond) // what DATETIME(3) keeps
	e.ActorRef = fit(e.ActorRef, MaxRefLen)
	e.SubjectRef = fit(e.SubjectRef, MaxRefLen)
	e.RequestID = fit(e.RequestID, MaxRefLen)
	e.Action = fit(e.Action, MaxActionLen)
	e.Outcome = fit(e.Outcome, MaxOutcomeLen)
	e.Channel = domain.Channel(fit(string(e.Channel), MaxChannelLen))
	if len(e.Detail) > 0 {
		e.Detail = cleanDetail(e.Detail)
	}
	return e
}

// cleanDetail copies d, masked and cut, keeping at most MaxDetailKeys keys
// (the smallest, so the choice is stable).
func cleanDetail(d map[string]string) map[string]string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	if len(keys) > MaxDetailKeys {
		slices.Sort(keys)
		keys = keys[:MaxDetailKeys]
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		out[fit(k, MaxDetailLen)] = fit(d[k], MaxDetailLen)
	}
	return out
}

// fit masks s, makes it valid UTF-8 and cuts it to at most max bytes on a
// character boundary.
func fit(s string, max int) string {
	s = strings.ToValidUTF8(domain.MaskText(s), "\uFFFD")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
