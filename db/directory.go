package db

import (
	"context"
	"errors"
	"fmt"

	"github.com/samverkan/samverkan/casework"
)

// Unit is an organisational unit: a school, a BVC, social services… (docs/process.md §3). It serves the
// municipality MunicipalityID and belongs to the principal (huvudman) PrincipalID, which for a BVC
// is the region and for an independent school its owner.
type Unit struct {
	ID             string
	Name           string
	Kind           casework.UnitKind
	MunicipalityID string
	PrincipalID    string
	Email          string // a functional mailbox, reachable whoever is on duty
	Phone          string
}

// Municipality is a municipality with the newest version of its policy, the one new cases start
// with (a running case keeps its own version, docs/process.md §7.2).
type Municipality struct {
	ID          string
	Name        string
	Code        string // SCB kommunkod
	County      string
	PrincipalID string // the municipality as a principal
	RegionID    string // the region principal: health care for the municipality's children
	Policy      casework.Policy
}

// UserRole is one role a user holds in one unit.
type UserRole struct {
	UnitID string
	Role   casework.Role
}

// User is a person who signs in, with every role they hold.
type User struct {
	ID          string // the user name, e.g. "anna.larare"
	DisplayName string
	Title       string
	Email       string
	Roles       []UserRole // ordered by unit, then role
}

// HasRole reports whether u holds role in unit.
func (u User) HasRole(unitID string, role casework.Role) bool {
	for _, r := range u.Roles {
		if r.UnitID == unitID && r.Role == role {
			return true
		}
	}
	return false
}

// ListUnits lists units, optionally only those of one municipality and/or one kind (empty means
// any), ordered by municipality, kind and name.
func (d *DB) ListUnits(ctx context.Context, municipalityID, kind string) ([]Unit, error) {
	q := d.gorm.WithContext(ctx).Model(&unitRow{})
	if municipalityID != "" {
		q = q.Where("municipality_id = ?", municipalityID)
	}
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var rows []unitRow
	if err := q.Order("municipality_id, kind, name, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	units := make([]Unit, len(rows))
	for i, r := range rows {
		units[i] = r.unit()
	}
	return units, nil
}

// UnitsOfKind lists a municipality's units of one kind, by name: where routing looks for the
// named person's unit (docs/process.md §3).
func (d *DB) UnitsOfKind(ctx context.Context, municipalityID string, kind casework.UnitKind) ([]Unit, error) {
	return d.ListUnits(ctx, municipalityID, string(kind))
}

// Unit returns one unit, or ErrNotFound.
func (d *DB) Unit(ctx context.Context, id string) (Unit, error) {
	var r unitRow
	if err := d.gorm.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return Unit{}, notFound(err, fmt.Sprintf("unit %q", id))
	}
	return r.unit(), nil
}

func (r unitRow) unit() Unit {
	return Unit{ID: r.ID, Name: r.Name, Kind: casework.UnitKind(r.Kind), MunicipalityID: r.MunicipalityID,
		PrincipalID: r.PrincipalID, Email: r.Email, Phone: r.Phone}
}

// Municipality returns one municipality with the newest version of its policy, or ErrNotFound.
func (d *DB) Municipality(ctx context.Context, id string) (Municipality, error) {
	var r municipalityRow
	if err := d.gorm.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return Municipality{}, notFound(err, fmt.Sprintf("municipality %q", id))
	}
	p, err := d.newestPolicy(ctx, r.PolicyID)
	if errors.Is(err, ErrNotFound) {
		// Not ErrNotFound to the caller: the municipality exists, its policy missing is a broken
		// directory, not a bad request.
		return Municipality{}, fmt.Errorf("municipality %q: no stored version of its policy %q", id, r.PolicyID)
	}
	if err != nil {
		return Municipality{}, fmt.Errorf("municipality %q: %w", id, err)
	}
	return Municipality{ID: r.ID, Name: r.Name, Code: r.Code, County: r.County, PrincipalID: r.PrincipalID,
		RegionID: r.RegionID, Policy: p}, nil
}

// User returns one user with their roles, or ErrNotFound.
func (d *DB) User(ctx context.Context, id string) (User, error) {
	var r userRow
	if err := d.gorm.WithContext(ctx).Where("id = ?", id).Take(&r).Error; err != nil {
		return User{}, notFound(err, fmt.Sprintf("user %q", id))
	}
	users, err := d.withRoles(ctx, []userRow{r}, true)
	if err != nil {
		return User{}, err
	}
	return users[0], nil
}

// NamedPersonsOf lists the named persons (Barnets bästa-ansvariga) of a unit, by user name. The list
// is empty when the unit has none, which routing must treat as a gap in the directory; an unknown
// unit is ErrNotFound.
func (d *DB) NamedPersonsOf(ctx context.Context, unitID string) ([]User, error) {
	if _, err := d.Unit(ctx, unitID); err != nil {
		return nil, fmt.Errorf("named persons: %w", err)
	}
	var rows []userRow
	err := d.gorm.WithContext(ctx).
		Where("id IN (SELECT user_id FROM user_roles WHERE unit_id = ? AND role = ?)", unitID, casework.RoleNamedPerson).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("named persons of %q: %w", unitID, err)
	}
	return d.withRoles(ctx, rows, true)
}

// ListUsers lists every user with their roles, by user name.
func (d *DB) ListUsers(ctx context.Context) ([]User, error) {
	var rows []userRow
	if err := d.gorm.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return d.withRoles(ctx, rows, false)
}

// withRoles loads the roles of rows in one query and returns the users in the same order. filter
// asks for only these users' roles; without it every role is read, which ListUsers wants (and an
// IN list of every user would meet the databases' limits on parameters).
func (d *DB) withRoles(ctx context.Context, rows []userRow, filter bool) ([]User, error) {
	users := make([]User, len(rows))
	if len(rows) == 0 {
		return users, nil
	}
	ids := make([]string, len(rows))
	index := make(map[string]int, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		index[r.ID] = i
		users[i] = User{ID: r.ID, DisplayName: r.DisplayName, Title: r.Title, Email: r.Email}
	}
	q := d.gorm.WithContext(ctx)
	if filter {
		q = q.Where("user_id IN ?", ids)
	}
	var roles []userRoleRow
	if err := q.Order("user_id, unit_id, role").Find(&roles).Error; err != nil {
		return nil, fmt.Errorf("load user roles: %w", err)
	}
	for _, r := range roles {
		i, ok := index[r.UserID]
		if !ok {
			continue // a user created between the two queries
		}
		users[i].Roles = append(users[i].Roles, UserRole{UnitID: r.UnitID, Role: casework.Role(r.Role)})
	}
	return users, nil
}
