package db

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ChainBreak is a place where the access log's chain does not hold.
type ChainBreak struct {
	Seq    int64
	Reason string
}

// ChainReport is the outcome of VerifyChain.
type ChainReport struct {
	From, To int64 // the rows verified, inclusive
	Checked  int64 // rows read
	// Breaks lists the breaks in chain order, at most maxBreaks of them; empty when the chain holds.
	Breaks []ChainBreak
}

// OK reports whether the verified part of the chain holds.
func (r ChainReport) OK() bool { return len(r.Breaks) == 0 }

// FirstBroken is the first break, or nil when the chain holds.
func (r ChainReport) FirstBroken() *ChainBreak {
	if len(r.Breaks) == 0 {
		return nil
	}
	return &r.Breaks[0]
}

const (
	maxBreaks      = 100
	verifyPageSize = 1000
)

// VerifyChain recomputes the hash of every row from from to to (inclusive; from <= 0 means the
// first row kept, to <= 0 the head) and checks that each row's prev_hash is the stored hash of the
// row before, that no position is missing, and, when it verifies through the head, that the head
// names the last row. Each break is reported at the row where it is: a row whose content was changed
// is reported alone, because the next row is compared with the stored hash, not the recomputed one.
func (d *DB) VerifyChain(ctx context.Context, from, to int64) (ChainReport, error) {
	tx := d.gorm.WithContext(ctx)
	head, err := readHead(tx, "SELECT seq, hash, anchor_seq, anchor_hash FROM access_log_head WHERE id = 1")
	if err != nil {
		return ChainReport{}, err
	}
	if to <= 0 || to > head.Seq {
		to = head.Seq
	}
	rep := ChainReport{From: max(from, head.AnchorSeq+1), To: to}
	prev := head.AnchorHash
	if rep.From > head.AnchorSeq+1 {
		before, err := d.accessRows(ctx, "seq = ?", rep.From-1)
		if err != nil {
			return rep, err
		}
		if len(before) == 0 {
			rep.add(rep.From-1, "row is missing")
		} else {
			prev = before[0].Hash
		}
	}
	next := rep.From
	for next <= rep.To {
		page, err := d.accessRows(ctx, "seq >= ? AND seq <= ? ORDER BY seq LIMIT ?", next, rep.To, verifyPageSize)
		if err != nil {
			return rep, err
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			rep.Checked++
			rep.check(r, next, prev)
			prev, next = r.Hash, r.Seq+1
		}
	}
	if next <= rep.To {
		rep.add(next, "rows at the end are missing")
	} else if rep.To == head.Seq && rep.Checked > 0 && prev != head.Hash {
		rep.add(head.Seq, "the head's hash does not match the last row")
	}
	return rep, nil
}

// check compares one row with what the chain expects at its place.
func (rep *ChainReport) check(r AccessRecord, wantSeq int64, prev string) {
	switch {
	case r.Seq != wantSeq:
		// Rows were removed before this one; its prev_hash names a row that is gone, so it is not
		// compared as well, and the gap is the one break.
		rep.add(wantSeq, fmt.Sprintf("rows %d to %d are missing", wantSeq, r.Seq-1))
	case r.PrevHash != prev:
		rep.add(r.Seq, "prev_hash does not match the hash of the row before")
	}
	if r.ComputeHash() != r.Hash {
		rep.add(r.Seq, "the row's content does not match its hash")
	}
}

func (rep *ChainReport) add(seq int64, reason string) {
	if len(rep.Breaks) < maxBreaks {
		rep.Breaks = append(rep.Breaks, ChainBreak{Seq: seq, Reason: reason})
	}
}

// AccessLogRetention is how long access-log rows are kept at least (docs/process.md §7.2: "access log: at
// least 5 years"). PurgeAccessLog adds purgeMargin, so that a clock off by days, or a purge run
// before a review of the oldest rows, never takes a row younger than 5 years.
const (
	AccessLogRetentionYears = 5
	purgeMargin             = 90 * 24 * time.Hour
)

// PurgeAccessLog removes the oldest rows: a prefix of the chain whose every row is older than the
// retention plus the margin, counted back from now. The last removed row's seq and hash become the
// head's anchor, so VerifyChain still verifies the rest from its first row. It returns the number
// of rows removed. It is the only code that deletes access-log rows; nothing schedules it yet, since
// the first rows reach 5 years in 2031 (a worker schedule or a subcommand will call it).
func (d *DB) PurgeAccessLog(ctx context.Context, now time.Time) (int64, error) {
	cutoff := utc(now.AddDate(-AccessLogRetentionYears, 0, 0).Add(-purgeMargin))
	var purged int64
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		head, err := d.lockHead(tx)
		if err != nil {
			return err
		}
		// The prefix ends before the first row that is young enough to keep, so a row with an early
		// time after a late one (clocks of two processes) never opens a hole in the chain.
		var last *int64
		err = tx.Raw(`SELECT MAX(seq) FROM access_log WHERE seq < COALESCE(
			(SELECT MIN(seq) FROM access_log WHERE at >= ?), ?)`, cutoff, head.Seq+1).Scan(&last).Error
		if err != nil || last == nil {
			return err
		}
		var hash string
		if err := tx.Raw("SELECT hash FROM access_log WHERE seq = ?", *last).Scan(&hash).Error; err != nil {
			return err
		}
		res := tx.Exec("DELETE FROM access_log WHERE seq <= ?", *last)
		if res.Error != nil {
			return res.Error
		}
		purged = res.RowsAffected
		return tx.Exec("UPDATE access_log_head SET anchor_seq = ?, anchor_hash = ? WHERE id = 1", *last, hash).Error
	})
	if err != nil {
		return 0, fmt.Errorf("purge access log: %w", err)
	}
	return purged, nil
}
