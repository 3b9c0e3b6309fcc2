-- The countable facts of each case, for the yearly follow-up (DOMAIN.md §12) and the supervisors'
-- oversight: one row per case, the latest facts the workflow projected (activities.CaseFacts as
-- JSON). Written only by the ProjectCase activity, in the transaction that writes the case's row and
-- only when that row's state_seq is newer (then replaced whole, like case_tasks and case_access), so
-- the facts and the row are always of one version of the case. No identities: kinds, age bands,
-- times and outcomes; the case ID is the only link to a child, and reports never show it.
--
-- The columns beside the JSON are what queries select on: the period a case was open, its
-- municipality (as its row has it), and whether a deviation waits for handling (so the oversight
-- finds a closed case that still has one). Portable SQL: runs unchanged on SQLite and PostgreSQL.

CREATE TABLE case_facts (
    case_id            TEXT      NOT NULL PRIMARY KEY REFERENCES cases (case_id) ON DELETE CASCADE,
    municipality_id    TEXT      NOT NULL,
    opened_at          TIMESTAMP NOT NULL, -- UTC
    closed_at          TIMESTAMP NULL,     -- UTC; NULL while the case is open (or reopened)
    pending_deviations BOOLEAN   NOT NULL DEFAULT FALSE,
    facts              TEXT      NOT NULL, -- activities.CaseFacts, JSON
    state_seq          BIGINT    NOT NULL  -- the case row's, when these were written
);

-- The cases open at some time in a period, per municipality: opened before its end, not closed
-- before its start.
CREATE INDEX case_facts_by_period ON case_facts (municipality_id, opened_at, closed_at);
CREATE INDEX case_facts_with_pending_deviations ON case_facts (case_id) WHERE pending_deviations;
