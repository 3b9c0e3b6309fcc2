package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// The access log (migration 0004): every read and write of a case's data, allowed or not, appended
// to one hash chain. This file appends; accesslog_verify.go verifies and purges; accesslog_query.go
// reads. Nothing here updates or deletes a row except the retention purge.

// AccessOutcome is how a logged request ended.
type AccessOutcome string

const (
	OutcomeAllowed  AccessOutcome = "allowed"  // answered 1xx–3xx
	OutcomeDenied   AccessOutcome = "denied"   // 401, 403, 404: the caller may not see or do it
	OutcomeRejected AccessOutcome = "rejected" // any other 4xx: bad input, a conflict, too many requests
	OutcomeError    AccessOutcome = "error"    // 5xx
)

// OutcomeOf classifies an HTTP status. 404 is a denial because the API answers 404 for a case the
// caller may not see, so that its existence does not leak; the log must still show the attempt.
func OutcomeOf(status int) AccessOutcome {
	switch {
	case status < 400:
		return OutcomeAllowed
	case status == 401 || status == 403 || status == 404:
		return OutcomeDenied
	case status < 500:
		return OutcomeRejected
	}
	return OutcomeError
}

// AccessEntry is one access as the API records it. It holds identifiers only: ChildRef is the
// child's keyed pseudonym, never a name or a personal number.
type AccessEntry struct {
	At           time.Time // zero means now; stored in UTC to the microsecond
	User         string
	Role         string
	Unit         string
	CaseID       string // "" when the request named no case (a list, an export, a failed concern)
	ChildRef     string
	Action       string // read_case, command:<UpdateName>, register_concern, list, …
	Outcome      AccessOutcome
	Status       int
	ClientAddr   string
	ForwardedFor string
	RequestID    string
}

func (e AccessEntry) validate() error {
	switch {
	case e.User == "" || e.Role == "" || e.Unit == "":
		return errors.New("user, role and unit are required")
	case e.Action == "":
		return errors.New("action is required")
	case e.Outcome == "" || e.Status < 100 || e.Status > 599:
		return errors.New("outcome and an HTTP status are required")
	}
	return nil
}

// AccessRecord is a stored row: the entry, its place in the chain and its hashes.
type AccessRecord struct {
	Seq int64
	AccessEntry
	PrevHash string
	Hash     string
}

// ComputeHash is the row's hash: hex SHA-256 over a version tag and every field as a netstring
// (<length>:<bytes>,) in a fixed order, the time as RFC 3339 UTC to the microsecond, prev_hash last.
// The first row's prev_hash is 64 zeros (the genesis head of migration 0004).
// Netstrings make the encoding unambiguous whatever a field holds, and an auditor can recompute a
// hash from the export with a few lines of any language.
func (r AccessRecord) ComputeHash() string {
	fields := []string{
		"samverkan/access-log/v1",
		strconv.FormatInt(r.Seq, 10),
		r.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		r.User, r.Role, r.Unit, r.CaseID, r.ChildRef, r.Action, string(r.Outcome),
		strconv.Itoa(r.Status), r.ClientAddr, r.ForwardedFor, r.RequestID,
		r.PrevHash,
	}
	h := sha256.New()
	for _, f := range fields {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
		h.Write([]byte{','})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AccessAlert says that one user opened more distinct cases within an hour than the limit allows.
type AccessAlert struct {
	ID            int64
	At            time.Time
	User          string
	Role          string
	Unit          string
	DistinctCases int
	LimitPerHour  int
	TriggerSeq    int64 // the access that went over the limit
}

// AppendAccess appends one row to the chain and returns it. When alertPerHour > 0 and the row makes
// its user's distinct cases within the hour exceed it, an alert is written in the same transaction
// and returned too. Appends are serialised across processes by the lock on the chain's head
// (lockHead), so the chain stays linear however many API processes write.
func (d *DB) AppendAccess(ctx context.Context, e AccessEntry, alertPerHour int) (AccessRecord, *AccessAlert, error) {
	if err := e.validate(); err != nil {
		return AccessRecord{}, nil, fmt.Errorf("append access: %w", err)
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	e.At = utc(e.At)
	var (
		rec   AccessRecord
		alert *AccessAlert
	)
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		h, err := d.lockHead(tx)
		if err != nil {
			return err
		}
		rec = AccessRecord{Seq: h.Seq + 1, AccessEntry: e, PrevHash: h.Hash}
		rec.Hash = rec.ComputeHash()
		err = tx.Exec(`INSERT INTO access_log (seq, at, user_id, role, unit_id, case_id, child_ref, action,
			outcome, status, client_addr, forwarded_for, request_id, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			rec.Seq, rec.At, rec.User, rec.Role, rec.Unit, rec.CaseID, rec.ChildRef, rec.Action,
			string(rec.Outcome), rec.Status, rec.ClientAddr, rec.ForwardedFor, rec.RequestID, rec.PrevHash, rec.Hash).Error
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE access_log_head SET seq = ?, hash = ? WHERE id = 1", rec.Seq, rec.Hash).Error; err != nil {
			return err
		}
		alert, err = checkAccessRate(tx, rec, alertPerHour)
		return err
	})
	if err != nil {
		return AccessRecord{}, nil, fmt.Errorf("append access %s by %s: %w", e.Action, e.User, err)
	}
	return rec, alert, nil
}

// chainHead is the row of access_log_head.
type chainHead struct {
	Seq        int64
	Hash       string
	AnchorSeq  int64
	AnchorHash string
}

// lockHead reads the head and holds it for the rest of tx. PostgreSQL: a row lock, which also makes
// a second appender wait and then read the head the first one wrote (READ COMMITTED re-reads a
// locked row). SQLite: the transaction already holds the database's write lock from BEGIN IMMEDIATE
// (the DSN's _txlock), as migrations rely on too, and SQLite knows no FOR UPDATE.
func (d *DB) lockHead(tx *gorm.DB) (chainHead, error) {
	q := "SELECT seq, hash, anchor_seq, anchor_hash FROM access_log_head WHERE id = 1"
	if d.dialect == DialectPostgres {
		q += " FOR UPDATE"
	}
	return readHead(tx, q)
}

func readHead(tx *gorm.DB, q string) (chainHead, error) {
	var heads []chainHead
	if err := tx.Raw(q).Scan(&heads).Error; err != nil {
		return chainHead{}, fmt.Errorf("read access log head: %w", err)
	}
	if len(heads) != 1 {
		return chainHead{}, errors.New("access log head row is missing")
	}
	return heads[0], nil
}

// checkAccessRate writes an alert when rec's user has now touched more distinct cases within the
// hour up to rec than limit. Every outcome counts: a run of denied attempts on many cases is as
// telling as reads. One alert per user per hour: a burst is one finding, not one per further case.
// It runs under the head lock, so two processes never both write the same alert.
//
// The user's alert within the hour is looked for first, through its index: counting reads every row
// of the user's hour, and every access of every user waits for the head lock while it does, so a
// user already alerted – the one who makes the most accesses – must not be counted again.
func checkAccessRate(tx *gorm.DB, rec AccessRecord, limit int) (*AccessAlert, error) {
	if limit <= 0 || rec.CaseID == "" {
		return nil, nil
	}
	from := rec.At.Add(-time.Hour)
	var recent int64
	if err := tx.Raw("SELECT COUNT(*) FROM access_alerts WHERE user_id = ? AND at > ?", rec.User, from).Scan(&recent).Error; err != nil {
		return nil, err
	}
	if recent > 0 {
		return nil, nil
	}
	var n int64
	err := tx.Raw(`SELECT COUNT(DISTINCT case_id) FROM access_log
		WHERE user_id = ? AND case_id <> '' AND at > ? AND at <= ?`, rec.User, from, rec.At).Scan(&n).Error
	if err != nil || n <= int64(limit) {
		return nil, err
	}
	var id int64
	if err := tx.Raw("SELECT COALESCE(MAX(id), 0) + 1 FROM access_alerts").Scan(&id).Error; err != nil {
		return nil, err
	}
	a := &AccessAlert{ID: id, At: rec.At, User: rec.User, Role: rec.Role, Unit: rec.Unit,
		DistinctCases: int(n), LimitPerHour: limit, TriggerSeq: rec.Seq}
	err = tx.Exec(`INSERT INTO access_alerts (id, at, user_id, role, unit_id, distinct_cases, limit_per_hour, trigger_seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.At, a.User, a.Role, a.Unit, a.DistinctCases, a.LimitPerHour, a.TriggerSeq).Error
	if err != nil {
		return nil, fmt.Errorf("write access alert: %w", err)
	}
	return a, nil
}
