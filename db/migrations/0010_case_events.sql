-- The case events (issue 13, docs/architecture.md "Case events"): every business event of a case as
-- the case workflow recorded it – a step, the routing, a deadline passed, an automatic escalation, a
-- reminder or message sent – written by the projection (activities.ProjectCase) and read by the
-- timeline. One row per event, numbered per case from 1 in the order the workflow recorded them; a
-- retried projection writes a row once (the primary key). The retention sweep erases them with the case.
--
-- body is the whole event – who by name, the command as given with its free text – sealed with the
-- codec keyring Temporal's payloads use (archive.SealEvent), base64. In clear only what orders and
-- filters: IDs, the kind, times, the actor's user ID, role and unit. Portable SQL: SQLite and PostgreSQL.

CREATE TABLE case_events (
    case_id     TEXT      NOT NULL,
    seq         BIGINT    NOT NULL,
    kind        TEXT      NOT NULL,
    occurred_at TIMESTAMP NOT NULL, -- business time, UTC
    recorded_at TIMESTAMP NOT NULL, -- the workflow's clock, UTC
    by_user     TEXT      NULL,     -- NULL: the system
    by_role     TEXT      NULL,
    by_unit     TEXT      NULL,
    body        TEXT      NOT NULL,
    PRIMARY KEY (case_id, seq)
);
