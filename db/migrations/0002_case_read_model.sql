-- The read model of cases: one row per case, projected by activities from the Case workflow, which
-- alone owns case state. It holds no personal data – no names, no personal numbers – so lists and
-- reports can be served from here; the case's content is read from the workflow.

CREATE TABLE cases (
    case_id              TEXT      NOT NULL PRIMARY KEY,
    workflow_id          TEXT      NOT NULL,
    municipality_id      TEXT      NOT NULL REFERENCES municipalities (id),
    phase                TEXT      NOT NULL,
    -- A foreign key also keeps a unit with cases from being deleted from the directory.
    named_person_unit_id TEXT      NULL REFERENCES units (id),
    policy_id            TEXT      NOT NULL,
    policy_version       INTEGER   NOT NULL,
    opened_at            TIMESTAMP NOT NULL, -- UTC, as are all times
    next_deadline_kind   TEXT      NULL,     -- casework.DeadlineKind
    next_deadline_at     TIMESTAMP NULL,
    overdue              BOOLEAN   NOT NULL DEFAULT FALSE,
    suspects_harm        BOOLEAN   NOT NULL DEFAULT FALSE,
    -- The workflow's state sequence number: a projection is written only when it is newer than the
    -- stored one, because activities may be retried and arrive out of order.
    state_seq            BIGINT    NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    FOREIGN KEY (policy_id, policy_version) REFERENCES policies (id, version)
);

CREATE INDEX cases_by_unit ON cases (named_person_unit_id, opened_at);
CREATE INDEX cases_by_municipality ON cases (municipality_id, opened_at);
CREATE INDEX cases_by_next_deadline ON cases (next_deadline_at) WHERE next_deadline_at IS NOT NULL;
