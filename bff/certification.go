package bff

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dandong-hrss/hrss/domain"
	"github.com/dandong-hrss/hrss/domain/acceptance"
	"github.com/dandong-hrss/hrss/domain/certification"
	"github.com/dandong-hrss/hrss/domain/notify"
	"github.com/dandong-hrss/hrss/domain/privacy"
	"github.com/dandong-hrss/hrss/integrations/store/certificationdb"
)

// openCertification builds the yearly pension certification (养老生存认证)
// and sweeps it every five minutes: due cycles become overdue and then
// suspended, reminders go out, unforwarded events are retried.
func (m *Main) openCertification() error {
	svc, err := certification.NewService(certification.Config{
		Store:      certificationdb.New(m.DB),
		Pensioners: certification.CorePensioners{Core: m.clients.core},
		Faces:      m.clients.ecard,
		Forwarder:  certification.ForwarderFunc(m.forwardCertification),
		Reminders:  certification.RemindersFunc(m.remindCertification),
		Sealer:     m.Sealer,
		Auditor:    m.Audit,
		Logger:     m.Logger,
	})
	if err != nil {
		return err
	}
	m.Certification = svc
	loops, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Minute)
		defer t.Stop()
		for {
			select {
			case <-loops.Done():
				return
			case now := <-t.C:
				if _, err := svc.Sweep(loops, now); err != nil {
					m.Logger.Warn("certification sweep", "err", err)
				}
			}
		}
	})
	m.closers = append(m.closers, func() error { stop(); wg.Wait(); return nil })
	return nil
}

// forwardCertification tells the counter core of a certification, a
// suspension or a resumption, as a case of the certification matter. The
// case id is derived from the event, so a repeat opens no second case.
func (m *Main) forwardCertification(ctx context.Context, n certification.Notice) error {
	form := map[string]any{"event": n.Kind, "year": n.Year, "dueOn": n.DueOn.Format(time.DateOnly)}
	channel := domain.Counter
	if c := n.Certification; c != nil {
		form["method"], form["at"], form["evidence"] = c.Method, c.At.Format(time.RFC3339), c.Evidence
		if c.Channel != "" {
			channel = c.Channel
		}
	}
	if n.ActingFor != "" {
		form["actingFor"] = n.ActingFor.Masked()
		if n.Certification != nil {
			form["relation"] = n.Certification.Actor.Relation
		}
	}
	if !n.SuspendedAt.IsZero() {
		form["suspendedAt"] = n.SuspendedAt.Format(time.DateOnly)
	}
	if n.BackPay != nil {
		form["backPayMonths"] = n.BackPay.Months
	}
	raw, err := json.Marshal(form)
	if err != nil {
		return err
	}
	_, err = m.clients.counter.Submit(ctx, acceptance.Submission{
		ApplicationID: "CE-" + tokenSafe(n.EventID), MatterCode: certification.MatterCode,
		Applicant: acceptance.Applicant{Kind: acceptance.Person, Ref: privacy.IDIndex(m.Sealer, n.Person), Display: n.Display},
		Channel:   channel, Form: raw})
	return err
}

// remindCertification reminds a pensioner that certification is due or
// overdue, once per reminder of a cycle.
func (m *Main) remindCertification(ctx context.Context, r certification.Reminder) error {
	to := notify.Recipient{PersonRef: privacy.IDIndex(m.Sealer, r.Person), Channel: domain.Counter}
	if phone, err := m.aftercare.phoneOf(ctx, r.Person); err == nil && phone != "" {
		if to.PhoneSealed, err = privacy.SealPhone(m.Sealer, phone); err != nil {
			return err
		}
	} else if err != nil && !domain.IsCode(err, domain.NotFound) {
		return err
	}
	name, _, _ := strings.Cut(r.Display, " ")
	_, err := m.Notify.Enqueue(ctx, notify.Notice{DedupKey: "cert:" + r.CycleID + ":" + string(r.Kind), To: to,
		Kind: notify.KindCertReminder, Params: notify.Params{Name: name, Year: strconv.Itoa(r.Year), Deadline: domain.FormatDateCN(r.Deadline)}})
	return err
}

// tokenSafe keeps the characters an application id may hold.
func tokenSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return r
		}
		return '-'
	}, s)
}
