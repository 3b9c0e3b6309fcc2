package audit

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
)

// The log review (HSLF-FS 2016:40 4 kap. 9 §: access is to be checked systematically and
// recurrently). The recurrence is the ISO week in Swedish time: when a unit's supervisor opens
// GET /audit/reviews, the review of the last complete week is drawn if it has not been – a random
// sample of the accesses the unit's staff made to case data that week – and stored, so it is the
// same sample for every later look, whichever process answers. ?week=2026-W47 draws or shows an
// earlier week; a week still running cannot be drawn, since its sample would miss the rest of it.
// The supervisor checks the sampled rows and signs the review off with a note; the sign-off is kept.

// defaultReviewSampleSize applies when Server.ReviewSampleSize is 0.
const defaultReviewSampleSize = 20

// accessReviews draws (supervisor) and lists the reviews: a supervisor's own unit's, newest first;
// for an auditor all units' or ?unit=, without drawing – the sample is the supervisor's to draw.
func (s *Handlers) accessReviews(c *gin.Context) {
	who := httpkit.Caller(c)
	ctx := c.Request.Context()
	var (
		reviews []db.AccessReview
		err     error
	)
	switch casework.Role(who.Role) {
	case casework.RoleSupervisor:
		now := s.Now()
		period, perr := reviewWeek(c.Query("week"), now)
		if perr != nil {
			httpkit.WriteError(c, perr)
			return
		}
		size := s.ReviewSampleSize
		if size <= 0 {
			size = defaultReviewSampleSize
		}
		if _, err := s.DB.DrawAccessReview(ctx, who.Unit, period, size, who.User, now); err != nil {
			httpkit.WriteError(c, err)
			return
		}
		reviews, err = s.DB.AccessReviews(ctx, who.Unit, 10)
	case casework.RoleAdmin:
		reviews, err = s.DB.AccessReviews(ctx, c.Query("unit"), 50)
	default:
		httpkit.WriteError(c, httpkit.Status(http.StatusForbidden, "endast för chefer och granskare"))
		return
	}
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	out := reviewsJSON{Reviews: make([]reviewJSON, len(reviews))}
	for i, r := range reviews {
		out.Reviews[i] = reviewView(r)
	}
	c.JSON(http.StatusOK, out)
}

// signOffReview records the supervisor's sign-off of a review of their unit, with an optional note
// of what they found. Another unit's review is 404; a review signed off already is 409.
func (s *Handlers) signOffReview(c *gin.Context) {
	var body struct {
		Note string `json:"note"`
	}
	if c.Request.ContentLength != 0 {
		if err := httpkit.DecodeJSON(c, &body); err != nil {
			httpkit.WriteError(c, err)
			return
		}
	}
	v := &casework.ValidationError{}
	httpkit.CheckText(v, "note", body.Note, false, httpkit.MaxTextRunes)
	if err := v.Err(); err != nil {
		httpkit.WriteError(c, err)
		return
	}
	who := httpkit.Caller(c)
	ctx := c.Request.Context()
	rev, err := s.DB.AccessReview(ctx, c.Param("reviewId"))
	if errors.Is(err, db.ErrNotFound) || err == nil && (!isSupervisor(who.Role) || rev.Unit != who.Unit) {
		httpkit.WriteError(c, httpkit.ErrNotFound)
		return
	}
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	rev, err = s.DB.SignOffAccessReview(ctx, rev.ID, who.User, body.Note, s.Now())
	if errors.Is(err, db.ErrConflict) {
		httpkit.WriteError(c, httpkit.Status(http.StatusConflict, "granskningen är redan avslutad"))
		return
	}
	if err != nil {
		httpkit.WriteError(c, err)
		return
	}
	c.JSON(http.StatusOK, reviewView(rev))
}

func isSupervisor(role string) bool { return casework.Role(role) == casework.RoleSupervisor }

// reviewWeek is the week to review: the one asked for, or the last complete one.
func reviewWeek(asked string, now time.Time) (db.ReviewPeriod, error) {
	if asked == "" {
		return weekOf(weekOf(now).From.Add(-time.Hour)), nil
	}
	p, ok := parseWeek(asked)
	switch {
	case !ok:
		return p, httpkit.FieldProblem("week", "ska vara en ISO-vecka, t.ex. 2026-W47")
	case p.To.After(now):
		return p, httpkit.FieldProblem("week", "veckan är inte slut än")
	}
	return p, nil
}

// weekOf is the ISO week that holds t in Swedish time, Monday 00:00 to the next Monday 00:00.
func weekOf(t time.Time) db.ReviewPeriod {
	local := t.In(casework.Stockholm)
	year, week := local.ISOWeek()
	sinceMonday := (int(local.Weekday()) + 6) % 7
	monday := time.Date(local.Year(), local.Month(), local.Day()-sinceMonday, 0, 0, 0, 0, casework.Stockholm)
	return db.ReviewPeriod{Week: fmt.Sprintf("%04d-W%02d", year, week), From: monday, To: monday.AddDate(0, 0, 7)}
}

// parseWeek reads "2026-W47". 4 January is always in week 1, which anchors the count.
func parseWeek(s string) (db.ReviewPeriod, bool) {
	var year, week int
	if n, err := fmt.Sscanf(s, "%4d-W%2d", &year, &week); err != nil || n != 2 || week < 1 || week > 53 {
		return db.ReviewPeriod{}, false
	}
	p := weekOf(time.Date(year, time.January, 4+7*(week-1), 12, 0, 0, 0, casework.Stockholm))
	return p, p.Week == s
}

type reviewsJSON struct {
	Reviews []reviewJSON `json:"reviews"`
}

type reviewJSON struct {
	ID         string            `json:"id"`
	Unit       string            `json:"unit"`
	Week       string            `json:"week"`
	From       httpkit.LocalTime `json:"from"`
	To         httpkit.LocalTime `json:"to"`
	Population int               `json:"population"` // the accesses the sample was drawn from
	SampleSize int               `json:"sampleSize"`
	DrawnAt    httpkit.LocalTime `json:"drawnAt"`
	DrawnBy    string            `json:"drawnBy"`
	SignedOff  *signOffJSON      `json:"signedOff"` // null until signed off
	Entries    []accessEntryJSON `json:"entries"`
}

type signOffJSON struct {
	By   string            `json:"by"`
	At   httpkit.LocalTime `json:"at"`
	Note string            `json:"note"`
}

func reviewView(r db.AccessReview) reviewJSON {
	out := reviewJSON{ID: r.ID, Unit: r.Unit, Week: r.Period.Week, From: httpkit.LocalTime(r.Period.From), To: httpkit.LocalTime(r.Period.To),
		Population: r.Population, SampleSize: len(r.Items), DrawnAt: httpkit.LocalTime(r.DrawnAt), DrawnBy: r.DrawnBy,
		Entries: accessEntries(r.Items)}
	if r.SignedOffAt != nil {
		out.SignedOff = &signOffJSON{By: r.SignedOffBy, At: httpkit.LocalTime(*r.SignedOffAt), Note: r.Note}
	}
	return out
}
