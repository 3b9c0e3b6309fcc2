package activities

import (
	"context"
	"fmt"

	"github.com/samverkan/samverkan/casework"
)

// NameMunicipalityPolicy reads a municipality's current policy version.
const NameMunicipalityPolicy = "MunicipalityPolicy"

// MunicipalityPolicy is the policy a municipality applies now: a case handed over to it keeps this
// version for its new deadlines (docs/process.md §6.6, §7.2).
func (a *Activities) MunicipalityPolicy(ctx context.Context, municipality string) (casework.Policy, error) {
	mun, err := a.DB.Municipality(ctx, municipality)
	if err != nil {
		return casework.Policy{}, notFoundOr(fmt.Errorf("municipality %s: %w", municipality, err))
	}
	return mun.Policy, nil
}
