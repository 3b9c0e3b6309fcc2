package db

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"
)

// The log review of HSLF-FS 2016:40 4 kap. 9 §: access must be checked systematically and
// recurrently. Per unit and ISO week, a random sample of the accesses made by the unit's staff is
// drawn once, stored, and signed off by the unit's supervisor; the sign-off is recorded.

// ReviewPeriod is the week a review covers: its ISO name and its bounds, From inclusive, To
// exclusive. The caller computes it (Europe/Stockholm weeks are the api's concern).
type ReviewPeriod struct {
	Week     string // "2026-W47"
	From, To time.Time
}

// AccessReview is one unit's review of one week.
type AccessReview struct {
	ID          string // "<week>.<unit>"
	Unit        string
	Period      ReviewPeriod
	Population  int // the accesses the sample was drawn from
	DrawnAt     time.Time
	DrawnBy     string
	SignedOffAt *time.Time // nil until signed off
	SignedOffBy string
	Note        string
	Items       []AccessRecord // the sample, in chain order
}

// ReviewID names the review of a unit's week.
func ReviewID(unit, week string) string { return week + "." + unit }

// DrawAccessReview returns the unit's review of the period, drawing it first when there is none: up
// to size rows chosen at random among the accesses to case data (case_id set) the unit's staff made
// in the period. A review once drawn never changes its sample, so a second call – by another
// supervisor, another process, or a year later – returns the same rows; two processes drawing at
// once store one sample (the review's primary key decides).
func (d *DB) DrawAccessReview(ctx context.Context, unit string, p ReviewPeriod, size int, by string, now time.Time) (AccessReview, error) {
	id := ReviewID(unit, p.Week)
	if r, err := d.AccessReview(ctx, id); !errors.Is(err, ErrNotFound) {
		return r, err
	}
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var population []int64
		err := tx.Raw(`SELECT seq FROM access_log WHERE unit_id = ? AND case_id <> '' AND at >= ? AND at < ?`,
			unit, utc(p.From), utc(p.To)).Scan(&population).Error
		if err != nil {
			return err
		}
		res := tx.Exec(`INSERT INTO access_reviews (id, unit_id, week, period_from, period_to, population, drawn_at, drawn_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
			id, unit, p.Week, utc(p.From), utc(p.To), len(population), utc(now), by)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // drawn by another process meanwhile: theirs is the sample
		}
		for _, seq := range sample(population, size) {
			if err := tx.Exec("INSERT INTO access_review_items (review_id, seq) VALUES (?, ?)", id, seq).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return AccessReview{}, fmt.Errorf("draw access review %s: %w", id, err)
	}
	return d.AccessReview(ctx, id)
}

// sample picks up to size of seqs uniformly at random (a partial Fisher–Yates shuffle). math/rand/v2's
// global source is seeded unpredictably, so the staff under review cannot foresee the sample; it
// need not be reproducible, because the drawn sample is stored.
func sample(seqs []int64, size int) []int64 {
	size = min(max(size, 0), len(seqs))
	for i := range size {
		j := i + rand.IntN(len(seqs)-i)
		seqs[i], seqs[j] = seqs[j], seqs[i]
	}
	picked := slices.Clone(seqs[:size])
	slices.Sort(picked)
	return picked
}

type reviewRow struct {
	ID          string
	UnitID      string
	Week        string
	PeriodFrom  time.Time
	PeriodTo    time.Time
	Population  int
	DrawnAt     time.Time
	DrawnBy     string
	SignedOffAt *time.Time
	SignedOffBy *string
	Note        *string
}

const reviewCols = "id, unit_id, week, period_from, period_to, population, drawn_at, drawn_by, signed_off_at, signed_off_by, note"

// AccessReview returns one review with its sample, or ErrNotFound.
func (d *DB) AccessReview(ctx context.Context, id string) (AccessReview, error) {
	var rows []reviewRow
	if err := d.gorm.WithContext(ctx).Raw("SELECT "+reviewCols+" FROM access_reviews WHERE id = ?", id).Scan(&rows).Error; err != nil {
		return AccessReview{}, fmt.Errorf("access review %q: %w", id, err)
	}
	if len(rows) == 0 {
		return AccessReview{}, fmt.Errorf("access review %q: %w", id, ErrNotFound)
	}
	return d.withItems(ctx, rows[0])
}

// AccessReviews lists reviews with their samples, newest week first: of one unit, or of all when
// unit is "". limit <= 0 means 20.
func (d *DB) AccessReviews(ctx context.Context, unit string, limit int) ([]AccessReview, error) {
	if limit <= 0 {
		limit = 20
	}
	q := d.gorm.WithContext(ctx).Table("access_reviews").Select(reviewCols)
	if unit != "" {
		q = q.Where("unit_id = ?", unit)
	}
	var rows []reviewRow
	if err := q.Order("period_from DESC, unit_id").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list access reviews: %w", err)
	}
	out := make([]AccessReview, 0, len(rows))
	for _, r := range rows {
		rev, err := d.withItems(ctx, r)
		if err != nil {
			return nil, err
		}
		out = append(out, rev)
	}
	return out, nil
}

func (d *DB) withItems(ctx context.Context, r reviewRow) (AccessReview, error) {
	rev := AccessReview{ID: r.ID, Unit: r.UnitID, Period: ReviewPeriod{Week: r.Week, From: r.PeriodFrom.UTC(), To: r.PeriodTo.UTC()},
		Population: r.Population, DrawnAt: r.DrawnAt.UTC(), DrawnBy: r.DrawnBy}
	if r.SignedOffAt != nil {
		at := r.SignedOffAt.UTC()
		rev.SignedOffAt = &at
	}
	if r.SignedOffBy != nil {
		rev.SignedOffBy = *r.SignedOffBy
	}
	if r.Note != nil {
		rev.Note = *r.Note
	}
	items, err := d.accessRows(ctx, "seq IN (SELECT seq FROM access_review_items WHERE review_id = ?) ORDER BY seq", r.ID)
	if err != nil {
		return rev, fmt.Errorf("access review %q: %w", r.ID, err)
	}
	rev.Items = items
	return rev, nil
}

// SignOffAccessReview records that the review was checked: by whom, when, and their note. A review
// is signed off once; a second sign-off is ErrConflict, an unknown review ErrNotFound.
func (d *DB) SignOffAccessReview(ctx context.Context, id, by, note string, at time.Time) (AccessReview, error) {
	res := d.gorm.WithContext(ctx).Exec(`UPDATE access_reviews SET signed_off_at = ?, signed_off_by = ?, note = ?
		WHERE id = ? AND signed_off_at IS NULL`, utc(at), by, note, id)
	if res.Error != nil {
		return AccessReview{}, fmt.Errorf("sign off access review %q: %w", id, res.Error)
	}
	rev, err := d.AccessReview(ctx, id)
	if err != nil {
		return rev, err
	}
	if res.RowsAffected == 0 {
		return rev, fmt.Errorf("access review %q is already signed off: %w", id, ErrConflict)
	}
	return rev, nil
}
