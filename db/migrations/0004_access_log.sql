-- The access log: one row for every read and write of a case's data through the API, allowed or not
-- (Patientdatalagen 4 kap. 3 §, HSLF-FS 2016:40 4 kap. 9 §; issue 6). Rows are only ever appended;
-- each carries the SHA-256 of its own content and of the row before it, so a changed, removed or
-- inserted row breaks the chain where it happened (db/accesslog.go says how the hash is made). The
-- log holds identifiers only – user, role, unit, case ID, the child's keyed pseudonym – never a name,
-- a personal number or case content. Rows are kept at least 5 years (DOMAIN.md §7.2).
--
-- Portable SQL: this file runs unchanged on SQLite and PostgreSQL. seq is assigned by the appender
-- under the chain lock, not by a sequence: the two databases spell sequences differently, and the
-- chain needs gapless positions anyway. No foreign keys to the directory: the log outlives units and
-- users that are removed from it.

CREATE TABLE access_log (
    seq           BIGINT    NOT NULL PRIMARY KEY, -- position in the chain: 1, 2, 3, …
    at            TIMESTAMP NOT NULL,             -- UTC
    user_id       TEXT      NOT NULL,             -- the token's subject
    role          TEXT      NOT NULL,             -- the role the token acts in
    unit_id       TEXT      NOT NULL,             -- the unit the token acts for
    case_id       TEXT      NOT NULL DEFAULT '',  -- '' when the request named no (well-formed) case
    child_ref     TEXT      NOT NULL DEFAULT '',  -- the child's pseudonym (casework.ChildPseudonym)
    action        TEXT      NOT NULL,             -- read_case, command:<UpdateName>, register_concern, …
    outcome       TEXT      NOT NULL,             -- allowed, denied, rejected, error
    status        INTEGER   NOT NULL,             -- the HTTP status answered
    client_addr   TEXT      NOT NULL,             -- the peer address of the connection
    forwarded_for TEXT      NOT NULL DEFAULT '',  -- X-Forwarded-For as received: a claim, not a fact
    request_id    TEXT      NOT NULL,
    prev_hash     TEXT      NOT NULL,             -- hex SHA-256 of the row before (or of the anchor)
    hash          TEXT      NOT NULL              -- hex SHA-256 over this row's fields and prev_hash
);

CREATE INDEX access_log_by_case ON access_log (case_id, seq);
CREATE INDEX access_log_by_child ON access_log (child_ref, seq);
CREATE INDEX access_log_by_unit ON access_log (unit_id, at);
CREATE INDEX access_log_by_user ON access_log (user_id, at);
CREATE INDEX access_log_by_time ON access_log (at);

-- The head of the chain, one row. Appenders lock it (SELECT … FOR UPDATE on PostgreSQL; SQLite's
-- BEGIN IMMEDIATE locks the whole database), which makes the chain linear across API processes.
-- anchor_* record the last row removed by the retention purge, so the chain stays verifiable from
-- the first row kept; before any purge they hold the genesis value.
CREATE TABLE access_log_head (
    id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    seq         BIGINT  NOT NULL,
    hash        TEXT    NOT NULL,
    anchor_seq  BIGINT  NOT NULL,
    anchor_hash TEXT    NOT NULL
);

INSERT INTO access_log_head (id, seq, hash, anchor_seq, anchor_hash) VALUES (1, 0,
    '0000000000000000000000000000000000000000000000000000000000000000', 0,
    '0000000000000000000000000000000000000000000000000000000000000000');

-- An alert: one user opened more distinct cases within an hour than the configured limit. Written
-- in the same transaction as the access that went over the limit, at most one per user per hour.
CREATE TABLE access_alerts (
    id             BIGINT    NOT NULL PRIMARY KEY, -- assigned under the chain lock, like seq
    at             TIMESTAMP NOT NULL,
    user_id        TEXT      NOT NULL,
    role           TEXT      NOT NULL,
    unit_id        TEXT      NOT NULL,
    distinct_cases INTEGER   NOT NULL,             -- in the hour up to at
    limit_per_hour INTEGER   NOT NULL,             -- the limit in force
    trigger_seq    BIGINT    NOT NULL              -- the access_log row that went over it
);

CREATE INDEX access_alerts_by_unit ON access_alerts (unit_id, at);
CREATE INDEX access_alerts_by_user ON access_alerts (user_id, at);

-- The log review of HSLF-FS 2016:40 4 kap. 9 §: per unit and ISO week (Europe/Stockholm) a random
-- sample of the unit's accesses, drawn once and stored, for the unit's supervisor to check and sign
-- off. The sign-off is the only change a review ever sees.
CREATE TABLE access_reviews (
    id            TEXT      NOT NULL PRIMARY KEY, -- '<week>.<unit>', e.g. '2026-W47.norrkoping-skola-1'
    unit_id       TEXT      NOT NULL,
    week          TEXT      NOT NULL,             -- ISO week, '2026-W47'
    period_from   TIMESTAMP NOT NULL,             -- the week's Monday 00:00 local, in UTC
    period_to     TIMESTAMP NOT NULL,             -- the next Monday 00:00 local, in UTC (exclusive)
    population    INTEGER   NOT NULL,             -- accesses in the period the sample was drawn from
    drawn_at      TIMESTAMP NOT NULL,
    drawn_by      TEXT      NOT NULL,
    signed_off_at TIMESTAMP NULL,
    signed_off_by TEXT      NULL,
    note          TEXT      NULL,
    UNIQUE (unit_id, week)
);

-- seq names an access_log row without a foreign key, so the retention purge can remove old rows;
-- a review older than the log's retention keeps its record and loses the rows' details.
CREATE TABLE access_review_items (
    review_id TEXT   NOT NULL REFERENCES access_reviews (id),
    seq       BIGINT NOT NULL,
    PRIMARY KEY (review_id, seq)
);
