-- Who must do what now in each case (the "my tasks" inbox) and who has a part in each case (lists).
-- Both are projections of the Case workflow's state, written only by the ProjectCase activity in the
-- transaction that writes the case's row, and replaced whole when that row's state_seq is newer. They
-- hold IDs of users and units, task kinds and fixed Swedish titles: no personal data about children.
--
-- unit_id and user_id are not foreign keys: a projection must never fail – and so stall the read model
-- of the case – because a unit or user was later removed from the directory.

-- One row per task and assignee; position numbers the case's tasks, so a task with several assignees
-- is the rows sharing (case_id, position). An assignee is a user (user_id; with unit_id only while
-- acting for that unit) or the holders of role in unit_id (role NULL: the unit's caseworkers).
CREATE TABLE case_tasks (
    case_id  TEXT      NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
    position INTEGER   NOT NULL,
    kind     TEXT      NOT NULL, -- workflows.TaskKind
    title    TEXT      NOT NULL,
    unit_id  TEXT      NULL,
    user_id  TEXT      NULL,
    role     TEXT      NULL,     -- casework.Role
    due_at   TIMESTAMP NULL,     -- UTC; the deadline the task answers to, if the policy sets one
    overdue  BOOLEAN   NOT NULL DEFAULT FALSE,
    CHECK (user_id IS NOT NULL OR unit_id IS NOT NULL)
);

CREATE INDEX case_tasks_by_case ON case_tasks (case_id);
CREATE INDEX case_tasks_by_user ON case_tasks (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX case_tasks_by_unit_role ON case_tasks (unit_id, role) WHERE user_id IS NULL;

-- One row per unit or user with a part in the case; relation is a workflows.AccessRelation, whose
-- reach per role the list queries apply as api/access.go does.
CREATE TABLE case_access (
    case_id  TEXT NOT NULL REFERENCES cases (case_id) ON DELETE CASCADE,
    relation TEXT NOT NULL,
    unit_id  TEXT NULL,
    user_id  TEXT NULL,
    CHECK ((unit_id IS NULL AND user_id IS NOT NULL) OR (unit_id IS NOT NULL AND user_id IS NULL))
);

CREATE INDEX case_access_by_case ON case_access (case_id);
CREATE INDEX case_access_by_unit ON case_access (unit_id, relation, case_id) WHERE unit_id IS NOT NULL;
CREATE INDEX case_access_by_user ON case_access (user_id, case_id) WHERE user_id IS NOT NULL;

-- The order of the case lists: next deadline (none last), then case id.
CREATE INDEX cases_by_list_order ON cases (next_deadline_at, case_id);
