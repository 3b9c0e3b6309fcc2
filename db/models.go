package db

import "time"

// The GORM models: one per table, unexported, mapping columns one to one. The migrations define the
// tables; these only read and write them. Column names follow GORM's naming (MunicipalityID →
// municipality_id). The exported types in directory.go and cases.go are what callers see.

type principalRow struct {
	ID   string `gorm:"primaryKey"`
	Name string
	Kind string
}

func (principalRow) TableName() string { return "principals" }

type municipalityRow struct {
	ID          string `gorm:"primaryKey"`
	Name        string
	Code        string
	County      string
	PrincipalID string
	RegionID    string
	PolicyID    string
}

func (municipalityRow) TableName() string { return "municipalities" }

type policyRow struct {
	ID        string `gorm:"primaryKey"`
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	Body      string
	CreatedAt time.Time
}

func (policyRow) TableName() string { return "policies" }

type unitRow struct {
	ID             string `gorm:"primaryKey"`
	Name           string
	Kind           string
	MunicipalityID string
	PrincipalID    string
	Email          string
	Phone          string
}

func (unitRow) TableName() string { return "units" }

type userRow struct {
	ID          string `gorm:"primaryKey"`
	DisplayName string
	Title       string
	Email       string
}

func (userRow) TableName() string { return "users" }

type userRoleRow struct {
	UserID string `gorm:"primaryKey"`
	UnitID string `gorm:"primaryKey"`
	Role   string `gorm:"primaryKey"`
}

func (userRoleRow) TableName() string { return "user_roles" }

// caseModel is a row of the read model. The pointers are the columns that may be NULL.
type caseModel struct {
	CaseID            string `gorm:"primaryKey"`
	WorkflowID        string
	MunicipalityID    string
	Phase             string
	NamedPersonUnitID *string
	PolicyID          string
	PolicyVersion     int
	OpenedAt          time.Time
	NextDeadlineKind  *string
	NextDeadlineAt    *time.Time
	Overdue           bool
	SuspectsHarm      bool
	StateSeq          int64
	UpdatedAt         time.Time
}

func (caseModel) TableName() string { return "cases" }
