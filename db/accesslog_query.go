package db

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// AccessFilter selects access-log rows; empty fields select all. Rows come in chain order.
type AccessFilter struct {
	CaseID   string
	ChildRef string
	Unit     string // the unit the accessing user acted for
	From, To time.Time
	AfterSeq int64 // keyset pagination: rows after this position
	Limit    int   // at most MaxAccessPage; 0 means MaxAccessPage
}

// MaxAccessPage is the most rows one AccessLog call returns.
const MaxAccessPage = 1000

// AccessLog returns the rows the filter selects, From inclusive and To exclusive.
func (d *DB) AccessLog(ctx context.Context, f AccessFilter) ([]AccessRecord, error) {
	var (
		where []string
		args  []any
	)
	add := func(cond string, arg any) { where, args = append(where, cond), append(args, arg) }
	add("seq > ?", f.AfterSeq)
	if f.CaseID != "" {
		add("case_id = ?", f.CaseID)
	}
	if f.ChildRef != "" {
		add("child_ref = ?", f.ChildRef)
	}
	if f.Unit != "" {
		add("unit_id = ?", f.Unit)
	}
	if !f.From.IsZero() {
		add("at >= ?", utc(f.From))
	}
	if !f.To.IsZero() {
		add("at < ?", utc(f.To))
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxAccessPage {
		limit = MaxAccessPage
	}
	rows, err := d.accessRows(ctx, strings.Join(where, " AND ")+" ORDER BY seq LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("read access log: %w", err)
	}
	return rows, nil
}

// accessRow is a row of access_log as it is scanned.
type accessRow struct {
	Seq          int64
	At           time.Time
	UserID       string
	Role         string
	UnitID       string
	CaseID       string
	ChildRef     string
	Action       string
	Outcome      string
	Status       int
	ClientAddr   string
	ForwardedFor string
	RequestID    string
	PrevHash     string
	Hash         string
}

// accessRows reads rows; tail is the rest of the statement after WHERE, built here from constants.
func (d *DB) accessRows(ctx context.Context, tail string, args ...any) ([]AccessRecord, error) {
	var rows []accessRow
	err := d.gorm.WithContext(ctx).Raw(`SELECT seq, at, user_id, role, unit_id, case_id, child_ref, action, outcome,
		status, client_addr, forwarded_for, request_id, prev_hash, hash FROM access_log WHERE `+tail, args...).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]AccessRecord, len(rows))
	for i, r := range rows {
		out[i] = AccessRecord{Seq: r.Seq, PrevHash: r.PrevHash, Hash: r.Hash, AccessEntry: AccessEntry{
			At: r.At.UTC(), User: r.UserID, Role: r.Role, Unit: r.UnitID, CaseID: r.CaseID, ChildRef: r.ChildRef,
			Action: r.Action, Outcome: AccessOutcome(r.Outcome), Status: r.Status, ClientAddr: r.ClientAddr,
			ForwardedFor: r.ForwardedFor, RequestID: r.RequestID,
		}}
	}
	return out, nil
}

// AccessAlerts lists alerts, newest first: of one unit (the unit the user acted for), or of all
// when unit is "". limit <= 0 means 200.
func (d *DB) AccessAlerts(ctx context.Context, unit string, limit int) ([]AccessAlert, error) {
	if limit <= 0 {
		limit = 200
	}
	q := d.gorm.WithContext(ctx).Table("access_alerts")
	if unit != "" {
		q = q.Where("unit_id = ?", unit)
	}
	var rows []struct {
		ID            int64
		At            time.Time
		UserID        string
		Role          string
		UnitID        string
		DistinctCases int
		LimitPerHour  int
		TriggerSeq    int64
	}
	if err := q.Order("at DESC, id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list access alerts: %w", err)
	}
	out := make([]AccessAlert, len(rows))
	for i, r := range rows {
		out[i] = AccessAlert{ID: r.ID, At: r.At.UTC(), User: r.UserID, Role: r.Role, Unit: r.UnitID,
			DistinctCases: r.DistinctCases, LimitPerHour: r.LimitPerHour, TriggerSeq: r.TriggerSeq}
	}
	return out, nil
}
