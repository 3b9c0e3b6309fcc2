package activities

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
)

const (
	// NameSweepMailOutbox is the activity of the MailOutboxSweep workflow.
	NameSweepMailOutbox = "SweepMailOutbox"
	// sweepMinAge leaves a mail to its own Notify activity while that may still be retrying it: the
	// sweep is for mails whose activity gave up (issue 15). The claim keeps the two from ever
	// sending at once, so this is about not competing, not about safety.
	sweepMinAge = 10 * time.Minute
	// sweepBatch bounds one sweep; the next takes the rest.
	sweepBatch = 500
)

// SweepResult is what one sweep of the outbox did.
type SweepResult struct {
	Waiting  int `json:"waiting"`  // mails found waiting
	Mailed   int `json:"mailed"`   // sent now
	Rejected int `json:"rejected"` // refused by the server for good
	Failed   int `json:"failed"`   // still waiting: the server did not take them
}

// SweepMailOutbox sends the mails that wait in the outbox longer than sweepMinAge, each exactly as
// Notify would (claim, send, `sent` on the 250), so a mail is still sent once however sweeps, retries
// and Notify's own attempts meet. It fails when the server took none of several, so the schedule's
// next run tries again; with mail off it does nothing.
func (a *Activities) SweepMailOutbox(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	if a.Mail.Mailer == nil {
		return res, nil
	}
	from, err := mail.ParseAddress(a.Mail.From)
	if err != nil {
		return res, nonRetryable(ErrKindInvalid, fmt.Errorf("sweep: the mail sender %q: %w", a.Mail.From, err))
	}
	now := a.now()
	rows, err := a.DB.MailsToSweep(ctx, now, now.Add(-sweepMinAge), sweepBatch)
	if err != nil {
		return res, err
	}
	res.Waiting = len(rows)
	var last error
	for i, row := range rows {
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i)
		}
		var one NotifyResult
		// The key begins with the case's workflow ID; only that goes to the log.
		caseRef, _, _ := strings.Cut(row.Key, "/")
		if err := a.mailOnce(ctx, NotifyRequest{Key: row.Key, CaseID: caseRef, Kind: "sweep"}, from, row, &one); err != nil {
			res.Failed++
			last = err
			continue
		}
		res.Mailed += one.Mailed
		res.Rejected += one.Rejected
	}
	if res.Waiting > 0 {
		a.Logger.InfoContext(ctx, "mail outbox swept", "waiting", res.Waiting, "mailed", res.Mailed,
			"rejected", res.Rejected, "failed", res.Failed)
	}
	if res.Failed > 0 && res.Mailed == 0 {
		return res, fmt.Errorf("sweep: %d mails still wait: %w", res.Failed, errors.Join(last))
	}
	return res, nil
}
