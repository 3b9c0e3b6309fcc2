package httpkit

import (
	"database/sql/driver"
	"errors"
	"net"
	"strings"
	"syscall"
	"time"
)

// The bounds of a request's wait for a dependency (issue 15): a command waits for the case
// workflow's answer at most CommandWait and a read of its live state at most QueryWait; then the
// answer is 503 with Retry-After, and the client retries with the same Idempotency-Key, which
// finds the command where the first request left it. Temporal's client retries an unreachable
// server until its context ends, so without them a request would hang for the outage.
const (
	CommandWait = 15 * time.Second
	QueryWait   = 10 * time.Second
	// retryAfterUnavailable is Retry-After's value on every 503: long enough not to hammer a
	// dependency that is restarting, short enough for a person waiting at a form.
	retryAfterUnavailable = "5"
)

// databaseUnavailable: the database could not be reached or is shutting down – a state of the
// system, not a bug: 503, never 500 (issue 15). What counts: a refused or cut connection, PostgreSQL's
// connection exceptions (class 08), an administrator's or a crash's shutdown (57P01–57P03), and a
// pool that was closed under the request.
func databaseUnavailable(err error) bool {
	// PostgreSQL's errors are read through their SQLState method (pgconn.PgError), since this
	// package may not import a driver (internal/architecture).
	var (
		pgErr  interface{ SQLState() string }
		netErr *net.OpError
	)
	switch {
	case errors.As(err, &pgErr):
		code := pgErr.SQLState()
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03"
	case errors.As(err, &netErr):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return true
	}
	msg := err.Error()
	// pgx reports a connection lost mid-query, and database/sql a pool closed by a shutdown, only
	// in words.
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "unexpected EOF") ||
		strings.Contains(msg, "failed to connect to") || strings.Contains(msg, "sql: database is closed")
}
