package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/workflows"
)

// The saved filters supervisors use in the Temporal Web UI (README, "Temporal Web UI for
// supervisors"). "More than N working days" has no meaning in Temporal's list filter, so the command
// turns it into the date it is today, by the Swedish working-day calendar.

type filterOptions struct {
	municipality *string
	workingDays  *int
}

func filterFlags(fs *flag.FlagSet) any {
	return &filterOptions{
		municipality: fs.String("municipality", "norrkoping", "municipality ID of the filters"),
		workingDays:  fs.Int("working-days", 20, "how many working days in samarbeta is too long"),
	}
}

func runFilters(_ context.Context, env *environment, extra any) error {
	opts := extra.(*filterOptions)
	for _, f := range savedFilters(time.Now(), *opts.municipality, *opts.workingDays) {
		if _, err := fmt.Fprintf(env.stdout, "%s\n  %s\n", f.name, f.query); err != nil {
			return err
		}
	}
	return nil
}

type savedFilter struct{ name, query string }

// savedFilters are the list filters of the README for a municipality, as they read at now.
func savedFilters(now time.Time, municipality string, workingDays int) []savedFilter {
	since := casework.NewCalendar(true).SubtractWorkingDays(now, workingDays)
	return []savedFilter{
		{"Försenade ärenden i kommunen",
			fmt.Sprintf(`%s = true AND %s = %q AND ExecutionStatus = "Running"`, workflows.SearchAttrOverdue, workflows.SearchAttrMunicipality, municipality)},
		{fmt.Sprintf("I samarbeta mer än %d arbetsdagar", workingDays),
			fmt.Sprintf(`%s = %q AND %s = %q AND %s < %q`, workflows.SearchAttrPhase, casework.PhaseSamarbeta,
				workflows.SearchAttrMunicipality, municipality, workflows.SearchAttrPhaseSince, since.UTC().Format(time.RFC3339))},
		{"Tidsgräns inom en vecka",
			fmt.Sprintf(`%s = %q AND %s < %q`, workflows.SearchAttrMunicipality, municipality,
				workflows.SearchAttrNextDeadline, now.Add(7*24*time.Hour).UTC().Format(time.RFC3339))},
	}
}
