-- Notifications (issue 5): what the Notify activity tells people about a case – reminders before a
-- deadline or follow-up (DOMAIN.md §6.6, §7.2), missed deadlines and deviations to the responsible
-- unit's supervisor (§9), escalations (§10), handed-over cases. Each is shown in the app
-- (notifications) and mailed once (mail_outbox). Both hold the case reference, what is due and a
-- fixed Swedish text composed by the workflow: no name, no personal identity number, no health detail.
--
-- notify_key is the workflow's idempotency key of one notification; (notify_key, user_id) is one
-- recipient's copy. Retried activities and restarted workers insert it again and find it there
-- (INSERT … ON CONFLICT DO NOTHING), so each recipient gets one notification and at most one mail.
--
-- Portable SQL: this file runs unchanged on SQLite and PostgreSQL. No foreign keys to the directory
-- or the read model: a notification outlives a user or a case removed from them.

CREATE TABLE notifications (
    id            TEXT      NOT NULL PRIMARY KEY, -- random, opaque to clients
    notify_key    TEXT      NOT NULL,
    user_id       TEXT      NOT NULL,
    case_id       TEXT      NOT NULL,
    kind          TEXT      NOT NULL,             -- activities.NotifyKind
    deadline_kind TEXT      NULL,                 -- casework.DeadlineKind, when it is about one
    due_at        TIMESTAMP NULL,                 -- UTC
    subject       TEXT      NOT NULL,
    text          TEXT      NOT NULL,
    created_at    TIMESTAMP NOT NULL,             -- UTC
    read_at       TIMESTAMP NULL,
    UNIQUE (notify_key, user_id)
);

-- A user's list, newest first, all or unread only.
CREATE INDEX notifications_by_user ON notifications (user_id, created_at, id);
CREATE INDEX notifications_unread_by_user ON notifications (user_id, created_at, id) WHERE read_at IS NULL;

-- One mail per recipient of a notification. The Notify activity inserts the row 'pending' (or
-- 'no_address' for a user without a mail address), marks it 'sending' – attempts + 1, a lease until
-- lease_until – before it talks to the SMTP server, and 'sent' after the server's final 250. A
-- 'sending' row whose lease has run out belongs to an attempt that died; the next attempt sends it
-- again (activities/notify.go says why that gives one mail). to_address is a professional's work
-- address from the directory, kept so that a retry mails where the first attempt would have.
CREATE TABLE mail_outbox (
    notify_key  TEXT      NOT NULL,
    user_id     TEXT      NOT NULL,
    to_address  TEXT      NOT NULL DEFAULT '',  -- '' when status is no_address
    subject     TEXT      NOT NULL,
    body        TEXT      NOT NULL,             -- the plain-text body as mailed
    status      TEXT      NOT NULL,             -- pending, sending, sent, no_address
    attempts    INTEGER   NOT NULL DEFAULT 0,   -- times handed to the SMTP client
    last_error  TEXT      NULL,                 -- of the last failed attempt, without the address
    lease_until TIMESTAMP NULL,                 -- while 'sending': until when the attempt may take
    created_at  TIMESTAMP NOT NULL,             -- UTC; also the mail's Date, the same on every attempt
    sent_at     TIMESTAMP NULL,
    PRIMARY KEY (notify_key, user_id),
    CHECK (status IN ('pending', 'sending', 'sent', 'no_address'))
);

CREATE INDEX mail_outbox_by_status ON mail_outbox (status, created_at);
