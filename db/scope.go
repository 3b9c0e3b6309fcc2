package db

import (
	"context"
	"fmt"
)

// MunicipalitiesOfCounty lists the municipalities of a county (as Municipality.County names it), by
// ID, each with the newest version of its policy: the reach of a county's steering group.
func (d *DB) MunicipalitiesOfCounty(ctx context.Context, county string) ([]Municipality, error) {
	var ids []string
	if err := d.gorm.WithContext(ctx).Model(&municipalityRow{}).Where("county = ?", county).Order("id").
		Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("municipalities of %q: %w", county, err)
	}
	out := make([]Municipality, 0, len(ids))
	for _, id := range ids {
		m, err := d.Municipality(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
