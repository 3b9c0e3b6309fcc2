-- The Idempotency-Keys the API has seen (api/cases/idempotency.go), so that a key reused with
-- another request is refused (422) instead of silently answered with the first request's outcome.
-- Both columns are hashes: the key keyed with the pseudonym key (a client may put anything in a
-- key, a personal number too), the request plain SHA-256 of its decoded body. Portable SQL that
-- runs unchanged on SQLite and PostgreSQL.

CREATE TABLE idempotency_keys (
    key_hash     TEXT      NOT NULL PRIMARY KEY, -- HMAC of user, command, case and key
    request_hash TEXT      NOT NULL,             -- SHA-256 of the request it was first sent with
    created_at   TIMESTAMP NOT NULL              -- UTC
);

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
