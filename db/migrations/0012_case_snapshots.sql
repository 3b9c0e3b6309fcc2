-- The snapshot of each open case (issue 16, docs/architecture.md "Reads from the snapshot"): the
-- case's whole state as its workflow last projected it, so GET /cases/{id} and the other rooms that
-- read one case are answered from the database rather than by a query that wakes the workflow –
-- which, when thousands of deadlines fall due at once, waits behind them. One row per case, written
-- by the projection (activities.ProjectCase) in the transaction of the case's row, and by the API
-- after a command with the state the command's answer was built from; either only over an older
-- state_seq. The archive supersedes it (the row goes when the case is archived) and the retention
-- sweep erases what is left with the case.
--
-- state is the whole state – names, personal numbers, free text – sealed with the codec keyring
-- Temporal's payloads use (archive.SealState), base64. In clear only the case ID and the state's
-- sequence number. Portable SQL: SQLite and PostgreSQL.

CREATE TABLE case_snapshots (
    case_id    TEXT      NOT NULL PRIMARY KEY,
    state_seq  BIGINT    NOT NULL, -- the workflow's CaseState.Seq of the state sealed here
    state      TEXT      NOT NULL,
    updated_at TIMESTAMP NOT NULL  -- UTC
);
