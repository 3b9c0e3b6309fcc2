package activities

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

const (
	// sendTimeout bounds one mail's SMTP exchange (within the activity's own deadline).
	sendTimeout = 20 * time.Second
	// leaseMargin is how much longer than its send may take an attempt keeps its claim on a mail, so
	// that no other attempt takes the mail while the first may still be talking to the server.
	leaseMargin = 15 * time.Second
)

// Notify tells each recipient of req about a case: a notification in the app and one mail.
//
// Recipients resolve to distinct users (a user, or every holder of a role in a unit). For each, the
// in-app notification is recorded first – once per (Key, user), whatever retries – and the mail is
// put in the outbox as pending, or no_address when the directory has no address (in-app only). Then
// each pending mail is sent:
//
//  1. claim: the row becomes 'sending', attempts + 1, under a lease that outlasts the send;
//  2. talk to the SMTP server: MAIL, RCPT, DATA, the message and the final ".";
//  3. only after the server's 250 to that ".", mark it 'sent'.
//
// Why that is one mail: a row marked 'sent' is never sent again, and a retry, a duplicate call or a
// restarted worker finds the row. An attempt that fails – the server away, the connection lost, the
// worker killed – before the server's 250 leaves the row pending (or 'sending' until its lease runs
// out), and the next attempt sends it. That resend is no duplicate, because an SMTP server takes a
// message only when its DATA was completed by the final "." and discards a transaction whose
// connection was lost before (RFC 5321 §4.1.1.4). Nor can two attempts send at once: the claim is
// one conditional UPDATE, and the lease keeps a live attempt's mail from a retry (the activity's own
// deadline ends the send before the lease ends; the workers' clocks are assumed to agree).
//
// The one window for a duplicate, honestly: the server has the whole message and answers 250, and
// the worker dies, or loses the database, before 'sent' is committed – or the 250 itself is lost on
// the way. The next attempt cannot tell this from a failed send and mails again, with the same
// Message-ID, so a receiving system that deduplicates on it shows one. The window is one network
// round trip and one small UPDATE wide; closing it would need the server to deduplicate, which
// SMTP does not offer.
//
// Mail off (no Mailer): notifications are recorded and the mails stay pending in the outbox, with a
// warning logged once – nothing is lost silently. A permanent refusal by the server (5xx to RCPT or
// to the message) is not retried: it is logged as an error, kept in the outbox's last_error and
// counted in Rejected. Any other failure fails the activity after every recipient was tried, so
// Temporal retries it; recipients done are then counted as AlreadySent.
//
// Subject and Text must hold no personal data (the workflow composes them); as a last guard, one
// that holds something that parses as a personal identity number is refused (non-retryable). Logs
// name the case, the kind and user IDs, never an address.
func (a *Activities) Notify(ctx context.Context, req NotifyRequest) (NotifyResult, error) {
	if err := req.validate(a.now()); err != nil {
		return NotifyResult{}, nonRetryable(ErrKindInvalid, fmt.Errorf("notify %s: %w", req.Key, err))
	}
	var from *mail.Address
	if a.Mail.Mailer != nil {
		var err error
		if from, err = mail.ParseAddress(a.Mail.From); err != nil {
			return NotifyResult{}, nonRetryable(ErrKindInvalid, fmt.Errorf("notify: the mail sender %q: %w", a.Mail.From, err))
		}
	}
	users, unresolved, err := a.notifyRecipients(ctx, req)
	if err != nil {
		return NotifyResult{}, fmt.Errorf("notify %s: %w", req.Key, err)
	}
	res := NotifyResult{Users: len(users), Unresolved: unresolved}
	rows := make([]db.OutboxMail, len(users))
	for i, u := range users {
		if rows[i], err = a.recordInApp(ctx, req, u); err != nil {
			return NotifyResult{}, fmt.Errorf("notify %s: %w", req.Key, err)
		}
	}
	var failed []error
	for i, row := range rows {
		// A heartbeat between recipients, not before the first: the SDK sends a first heartbeat at
		// once, a round trip and a write to the workflow's history shard, which a notification to one
		// user – nearly all of them – does not need (issue 16); one recipient's send ends well within
		// the heartbeat timeout.
		if i > 0 && activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i)
		}
		if err := a.mailOnce(ctx, req, from, row, &res); err != nil {
			failed = append(failed, fmt.Errorf("mail to user %s: %w", row.UserID, err))
		}
	}
	if len(failed) > 0 {
		return res, fmt.Errorf("notify %s: %w", req.Key, errors.Join(failed...))
	}
	return res, nil
}

// notifyRecipients resolves req's recipients to distinct users, by user name. A recipient that
// reaches nobody – an unknown user or unit, a role nobody holds there – is logged and counted.
func (a *Activities) notifyRecipients(ctx context.Context, req NotifyRequest) ([]db.User, int, error) {
	var users []db.User
	unresolved := 0
	seen := map[string]bool{}
	for _, r := range req.Recipients {
		var found []db.User
		var err error
		if r.UserID != "" {
			var u db.User
			if u, err = a.DB.User(ctx, r.UserID); err == nil {
				found = []db.User{u}
			}
		} else {
			found, err = a.DB.UsersWithRole(ctx, r.UnitID, r.Role)
		}
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return nil, 0, fmt.Errorf("resolve recipients: %w", err)
		}
		if len(found) == 0 {
			unresolved++
			a.Logger.WarnContext(ctx, "notification recipient reaches nobody", "caseId", req.CaseID, "kind", req.Kind,
				"userId", r.UserID, "unitId", r.UnitID, "role", r.Role)
			continue
		}
		for _, u := range found {
			if !seen[u.ID] {
				seen[u.ID] = true
				users = append(users, u)
			}
		}
	}
	slices.SortFunc(users, func(x, y db.User) int { return strings.Compare(x.ID, y.ID) })
	return users, unresolved, nil
}

// recordInApp records u's notification and puts u's mail in the outbox, both only if absent and in
// one transaction, and returns the outbox row as stored.
func (a *Activities) recordInApp(ctx context.Context, req NotifyRequest, u db.User) (db.OutboxMail, error) {
	now := a.now()
	return a.DB.RecordNotice(ctx, db.Notification{Key: req.Key, UserID: u.ID, CaseID: req.CaseID,
		Kind: string(req.Kind), DeadlineKind: req.DeadlineKind, DueAt: req.DueAt, Subject: req.Subject, Text: req.Text,
		CreatedAt: now},
		db.OutboxMail{Key: req.Key, UserID: u.ID, To: strings.TrimSpace(u.Email),
			Subject: req.Subject, Body: mailBody(req.Text, a.Mail.PublicURL, req.CaseID), CreatedAt: now})
}

// mailOnce sends row's mail unless it was sent, has no address, or mail is off (Notify's steps 1–3).
func (a *Activities) mailOnce(ctx context.Context, req NotifyRequest, from *mail.Address, row db.OutboxMail, res *NotifyResult) error {
	if counted(row, res) {
		return nil
	}
	if a.Mail.Mailer == nil {
		res.Pending++
		a.mailOff.Do(func() {
			a.Logger.WarnContext(ctx, "mail is off (no SMTP server configured): notifications are shown in the app, their mails stay pending in mail_outbox",
				"caseId", req.CaseID, "kind", req.Kind)
		})
		return nil
	}
	sendCtx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	deadline, _ := sendCtx.Deadline()
	row, claimed, err := a.DB.ClaimMail(ctx, row.Key, row.UserID, a.now(), a.now().Add(time.Until(deadline)+leaseMargin))
	if err != nil {
		return err
	}
	if !claimed {
		if counted(row, res) {
			return nil
		}
		return fmt.Errorf("another attempt is sending it (its lease runs until %s)", row.LeaseUntil.Format(time.RFC3339))
	}
	msg := composeMail(from, row.To, row.Subject, row.Body, row.Key, row.UserID, row.CreatedAt)
	log := a.Logger.With("caseId", req.CaseID, "kind", req.Kind, "userId", row.UserID, "attempt", row.Attempts)
	// What follows the send is bookkeeping of something that happened: it must not be skipped
	// because the activity's context ended meanwhile.
	after, cancelAfter := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancelAfter()
	// `sent` is committed on the server's 250 to the end of DATA, before QUIT (issue 15): the mail
	// is the server's from that reply, and a worker dying in the goodbye must not send it again.
	markErr := errors.New("the server never accepted the mail")
	accepted := func() { markErr = a.DB.MarkMailSent(after, row.Key, row.UserID, a.now()) }
	if err := a.Mail.Mailer.Send(sendCtx, from.Address, row.To, msg, accepted); err != nil {
		reason := strings.ReplaceAll(err.Error(), row.To, "<recipient>") // the server may quote the address
		if rerr := a.DB.ReleaseMail(after, row.Key, row.UserID, reason); rerr != nil {
			log.ErrorContext(ctx, "mail not released after a failed send; it is sent again when its lease ends", "error", rerr)
		}
		var refused *MailRejectedError
		if errors.As(err, &refused) {
			res.Rejected++
			log.ErrorContext(ctx, "mail refused by the server for good; the notification is in the app", "reason", reason)
			return nil
		}
		log.WarnContext(ctx, "mail not sent; the activity is retried", "reason", reason)
		return errors.New(reason)
	}
	if err := markErr; err != nil {
		// The duplicate window of Notify's comment: the server has the mail, the outbox does not say so.
		log.ErrorContext(ctx, "mail sent but not recorded as sent; a retry mails it again", "error", err)
		return err
	}
	res.Mailed++
	log.InfoContext(ctx, "mail sent")
	return nil
}

// counted adds a row that needs no send to the result and reports whether it did.
func counted(row db.OutboxMail, res *NotifyResult) bool {
	switch row.Status {
	case db.MailSent:
		res.AlreadySent++
	case db.MailNoAddress:
		res.NoAddress++
	default:
		return false
	}
	return true
}

func (a *Activities) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// validate checks what no retry can fix. today dates the personal-number check.
func (r NotifyRequest) validate(today time.Time) error {
	switch {
	case r.Key == "" || r.CaseID == "" || r.Kind == "":
		return errors.New("key, caseId and kind are required")
	case strings.TrimSpace(r.Subject) == "" || strings.TrimSpace(r.Text) == "":
		return errors.New("subject and text are required")
	case strings.ContainsAny(r.Subject, "\r\n"):
		return errors.New("the subject must be one line")
	case len(r.Recipients) == 0:
		return errors.New("no recipients")
	case holdsPersonalNumber(r.Subject, today) || holdsPersonalNumber(r.Text, today):
		// Never quote it: the error lands in logs and in the case's history.
		return errors.New("the subject or text holds a personal identity number; notifications carry the case reference only")
	}
	for i, rc := range r.Recipients {
		if rc.UserID == "" && (rc.UnitID == "" || !rc.Role.Valid()) {
			return fmt.Errorf("recipient %d: a user, or a unit and a role", i)
		}
	}
	return nil
}

// digitRun is a run of digits. A personal number is one run, or two joined by - or +.
var digitRun = regexp.MustCompile(`[0-9]+`)

func holdsPersonalNumber(s string, today time.Time) bool {
	runs := digitRun.FindAllStringIndex(s, -1)
	for i, r := range runs {
		candidates := []string{s[r[0]:r[1]]}
		if i+1 < len(runs) && runs[i+1][0] == r[1]+1 && (s[r[1]] == '-' || s[r[1]] == '+') {
			candidates = append(candidates, s[r[0]:runs[i+1][1]])
		}
		for _, c := range candidates {
			if _, err := casework.ParsePersonalNumber(c, today.In(casework.Stockholm)); err == nil {
				return true
			}
		}
	}
	return false
}
