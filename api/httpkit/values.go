package httpkit

import (
	"time"

	"github.com/samverkan/samverkan/casework"
)

// LocalTime writes a time as RFC 3339 in Europe/Stockholm to the second: deadlines read as the
// caseworker's wall clock.
type LocalTime time.Time

func (t LocalTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Time(t).In(casework.Stockholm).Format(time.RFC3339) + `"`), nil
}

func LocalTimePtr(t *time.Time) *LocalTime {
	if t == nil {
		return nil
	}
	l := LocalTime(*t)
	return &l
}

// UnitRef is a unit as answers name it.
type UnitRef struct {
	ID   string            `json:"id"`
	Name string            `json:"name"`
	Kind casework.UnitKind `json:"kind,omitempty"`
}
