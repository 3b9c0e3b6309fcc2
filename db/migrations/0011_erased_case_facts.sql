-- What the read model keeps of an erased case's facts (issue 13, docs/process.md §7.2): the retention
-- sweep erases the case's row and with it its case_facts row, and writes here, in the same
-- transaction, what the yearly follow-up counts and nothing that links to the case or the child
-- (report.Facts.WithoutIdentity): no case ID, no workflow ID, no deviation or unit ID, every time cut to
-- the first instant of its year in Swedish time. id is random and links to nothing; the reports count
-- each row as a child of its own. Portable SQL: SQLite and PostgreSQL.

CREATE TABLE erased_case_facts (
    id              TEXT      NOT NULL PRIMARY KEY, -- random
    municipality_id TEXT      NOT NULL,
    opened_at       TIMESTAMP NOT NULL, -- UTC, the first instant of the opening's year in Swedish time
    closed_at       TIMESTAMP NULL,     -- likewise, of the closing's year
    facts           TEXT      NOT NULL  -- report.Facts.WithoutIdentity, JSON
);

CREATE INDEX erased_case_facts_by_period ON erased_case_facts (municipality_id, opened_at, closed_at);
