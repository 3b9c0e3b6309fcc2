-- The caseworkers' front end's sessions (package web), so that a login survives a restart of the
-- front end and is shared by all its instances. The store holds nothing usable on its own: the key
-- is an HMAC of the session ID the browser holds (never the ID), and the data is sealed by the web
-- package with another key derived from that ID (AES-256-GCM) – the access token inside cannot be
-- read from this table, a backup or a log of it. Both are hex/base64 text: portable SQL that runs
-- unchanged on SQLite and PostgreSQL.

CREATE TABLE web_sessions (
    session_key TEXT      NOT NULL PRIMARY KEY, -- hex
    data        TEXT      NOT NULL,             -- base64 of the sealed session
    expires_at  TIMESTAMP NOT NULL              -- UTC; a row past it is never read, and is removed
);

CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);
