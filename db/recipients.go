package db

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/casework"
)

// UsersWithRole lists the users who hold role in the unit, by user name, with their mail addresses
// (Roles is left empty): whom a notification to "the unit's supervisor" or "its named persons"
// reaches. The list is empty when nobody holds the role there; an unknown unit is ErrNotFound.
func (d *DB) UsersWithRole(ctx context.Context, unitID string, role casework.Role) ([]User, error) {
	if _, err := d.Unit(ctx, unitID); err != nil {
		return nil, fmt.Errorf("users with role %s: %w", role, err)
	}
	var rows []userRow
	err := d.gorm.WithContext(ctx).
		Where("id IN (SELECT user_id FROM user_roles WHERE unit_id = ? AND role = ?)", unitID, string(role)).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("users with role %s in %q: %w", role, unitID, err)
	}
	users := make([]User, len(rows))
	for i, r := range rows {
		users[i] = User{ID: r.ID, DisplayName: r.DisplayName, Title: r.Title, Email: r.Email}
	}
	return users, nil
}
