package notify

import (
	"net/url"

	"github.com/dandong-hrss/hrss/domain/acceptance"
)

// ProgressPath is the path of the H5 progress page under Config.LinkBase;
// the application id follows it.
const ProgressPath = "/progress/"

// eventKinds are the case events an applicant hears of, with the notice
// each becomes. The others — staff claiming, releasing, grabbing or passing
// on a task, a step done or undone inside the workflow — change nothing the
// applicant can act on, and would only spend their hourly allowance.
var eventKinds = map[acceptance.EventKind]Kind{
	acceptance.EventAccepted:             KindProgress,
	acceptance.EventRouted:               KindProgress,
	acceptance.EventApproved:             KindProgress,
	acceptance.EventMaterialsSupplied:    KindProgress,
	acceptance.EventTerminated:           KindProgress,
	acceptance.EventWithdrawn:            KindProgress,
	acceptance.EventReturnedForMaterials: KindMaterialsNeeded,
	acceptance.EventRejected:             KindRejected,
	acceptance.EventCompleted:            KindCompleted,
}

// ForEvent returns the notice telling to of case event ev, and false when
// the applicant need not hear of it. matter is the matter's name as the
// application shows it. The dedup key is "event:" + ev.ID, so the webhook
// and the poll delivering one event queue one notice: enqueue on every
// delivery, repeated or not (see the package comment).
func ForEvent(ev acceptance.Event, matter string, to Recipient) (Notice, bool) {
	kind, ok := eventKinds[ev.Kind]
	if !ok || ev.ID == "" {
		return Notice{}, false
	}
	return Notice{
		DedupKey: "event:" + ev.ID,
		To:       to,
		Kind:     kind,
		Params: Params{
			Matter:        matter,
			ApplicationID: ev.ApplicationID,
			Status:        ev.Kind.Label(),
			Link:          ProgressPath + url.PathEscape(ev.ApplicationID),
			Note:          ev.Comment,
			At:            ev.At,
		},
	}, true
}
