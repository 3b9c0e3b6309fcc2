-- The archive of closed cases (issue 13, docs/process.md §7.2): the case file outlives its workflow. The
-- Case workflow writes one row per case before it completes (activities.ArchiveCase); from then on the
-- API reads the case from here, and the retention sweep erases the row after erase_after unless a
-- legal hold keeps it.
--
-- content is the whole case file – the final state with its plan versions, consents, revocations and
-- deviations, and the history of every run – sealed with the codec keyring Temporal's payloads use
-- (archive.Seal), base64. Only what lists and the sweep select on is in clear: IDs, the
-- municipality, the unit, times. No name, no personal number. Portable SQL: SQLite and PostgreSQL.

CREATE TABLE case_archive (
    case_id              TEXT      NOT NULL PRIMARY KEY,
    workflow_id          TEXT      NOT NULL, -- the child's pseudonymous workflow ID: the child's other cases
    run_ids              TEXT      NOT NULL, -- JSON list of the runs the file came from, oldest first
    municipality_id      TEXT      NOT NULL,
    named_person_unit_id TEXT      NULL,
    policy_id            TEXT      NOT NULL,
    policy_version       INTEGER   NOT NULL,
    opened_at            TIMESTAMP NOT NULL, -- UTC, as are all times
    closed_at            TIMESTAMP NOT NULL,
    archived_at          TIMESTAMP NOT NULL,
    erase_after          TIMESTAMP NOT NULL, -- closed_at + the policy's retention
    legal_hold           BOOLEAN   NOT NULL DEFAULT FALSE,
    legal_hold_reason    TEXT      NULL,     -- the admin's reason, as written
    legal_hold_by        TEXT      NULL,     -- user ID
    legal_hold_at        TIMESTAMP NULL,
    content              TEXT      NOT NULL
);

CREATE INDEX case_archive_by_workflow ON case_archive (workflow_id, closed_at);
CREATE INDEX case_archive_due ON case_archive (erase_after) WHERE NOT legal_hold;

-- What the retention sweep erased: that a case was erased and when, for the supervisors' oversight.
-- No identity beyond the case ID, which the access log keeps too.
CREATE TABLE case_erasures (
    case_id              TEXT      NOT NULL PRIMARY KEY,
    municipality_id      TEXT      NOT NULL,
    named_person_unit_id TEXT      NULL, -- the unit whose supervisor's oversight shows the erasure
    closed_at       TIMESTAMP NOT NULL,
    erase_after     TIMESTAMP NOT NULL,
    erased_at       TIMESTAMP NOT NULL
);

CREATE INDEX case_erasures_by_unit ON case_erasures (named_person_unit_id, erased_at);
