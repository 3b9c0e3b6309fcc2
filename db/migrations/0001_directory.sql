-- The directory: who is responsible for what (DOMAIN.md §3), who works where in which role, and the
-- stored versions of each regional policy (DOMAIN.md §7.2).
--
-- Portable SQL: this file runs unchanged on SQLite and PostgreSQL. Kinds and roles are TEXT without
-- CHECK constraints because casework adds new values without a migration; the Go code validates them.

CREATE TABLE principals (
    id   TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL -- casework.PrincipalKind
);

-- A policy version is immutable once stored: a running case keeps the version it started with, so
-- the body under (id, version) must never change. body is the casework.Policy as JSON.
CREATE TABLE policies (
    id         TEXT      NOT NULL,
    version    INTEGER   NOT NULL CHECK (version >= 1),
    name       TEXT      NOT NULL,
    body       TEXT      NOT NULL,
    created_at TIMESTAMP NOT NULL, -- UTC
    PRIMARY KEY (id, version)
);

-- policy_id names a policy, not a version: the municipality uses its newest version for new cases.
-- It cannot be a foreign key because policies' key is (id, version).
CREATE TABLE municipalities (
    id           TEXT NOT NULL PRIMARY KEY, -- a slug, e.g. 'norrkoping'
    name         TEXT NOT NULL,
    code         TEXT NOT NULL UNIQUE,      -- SCB kommunkod, four digits
    county       TEXT NOT NULL,
    principal_id TEXT NOT NULL REFERENCES principals (id),
    region_id    TEXT NOT NULL REFERENCES principals (id), -- the region principal (health care)
    policy_id    TEXT NOT NULL
);

-- A unit serves one municipality whoever its principal is: the region's BVC, the police's local
-- area and an independent school all belong to the municipality where they work.
CREATE TABLE units (
    id              TEXT NOT NULL PRIMARY KEY, -- a slug, e.g. 'norrkoping-skola-1'
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,             -- casework.UnitKind
    municipality_id TEXT NOT NULL REFERENCES municipalities (id),
    principal_id    TEXT NOT NULL REFERENCES principals (id),
    email           TEXT NOT NULL,             -- a functional mailbox, never a person's
    phone           TEXT NOT NULL DEFAULT ''
);

CREATE INDEX units_by_municipality_kind ON units (municipality_id, kind, name);

CREATE TABLE users (
    id           TEXT NOT NULL PRIMARY KEY, -- the user name, e.g. 'anna.larare'
    display_name TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL
);

-- Steering and admin roles are held in a unit too: the unit says where the person sits; what the
-- role may see is the auth package's rule.
CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL REFERENCES units (id),
    role    TEXT NOT NULL, -- casework.Role
    PRIMARY KEY (user_id, unit_id, role)
);

CREATE INDEX user_roles_by_unit_role ON user_roles (unit_id, role);
