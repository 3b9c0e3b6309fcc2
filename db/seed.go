package db

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/samverkan/samverkan/casework"
)

// SeedDemo fills the directory with the demo data of seed_data.go and stores the built-in policies.
// It is idempotent: running it again leaves the same rows (the directory rows are upserted to the
// demo's values, roles are only added). It never touches the read model.
func (d *DB) SeedDemo(ctx context.Context) error {
	for _, p := range casework.BuiltinPolicies() {
		if err := d.SavePolicy(ctx, p); err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
	}
	units := demoUnits()
	users := DemoUsers()
	userRows := make([]userRow, len(users))
	var roleRows []userRoleRow
	for i, u := range users {
		userRows[i] = userRow{ID: u.ID, DisplayName: u.DisplayName, Title: u.Title, Email: u.Email}
		for _, r := range u.Roles {
			roleRows = append(roleRows, userRoleRow{UserID: u.ID, UnitID: r.UnitID, Role: string(r.Role)})
		}
	}
	err := d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// ON CONFLICT … DO UPDATE / DO NOTHING: the same statement on SQLite (≥ 3.24) and PostgreSQL.
		// Clones, because GORM may write into what it is given.
		principals, municipalities := slices.Clone(demoPrincipals), slices.Clone(demoMunicipalities)
		for _, rows := range []any{&principals, &municipalities, &units, &userRows} {
			if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(rows).Error; err != nil {
				return err
			}
		}
		return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&roleRows).Error
	})
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	return nil
}
