package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"time"

	"github.com/samverkan/samverkan/auth"
)

// runMigrate applies pending migrations; safe to run from several places at once.
func runMigrate(ctx context.Context, env *environment, _ any) error {
	logger := newLogger(env)
	database, err := openDB(ctx, env.cfg, logger)
	if err != nil {
		return err
	}
	defer database.Close()
	applied, err := database.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	version, err := database.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	for _, name := range applied {
		fmt.Fprintf(env.stdout, "applied %s\n", name)
	}
	fmt.Fprintf(env.stdout, "schema version %d\n", version)
	return nil
}

type seedOptions struct{ demo *bool }

func seedFlags(fs *flag.FlagSet) any {
	return &seedOptions{demo: fs.Bool("demo", false, "load the synthetic demo directory")}
}

// runSeed loads the demo directory into any database, migrating it first.
func runSeed(ctx context.Context, env *environment, extra any) error {
	if !*extra.(*seedOptions).demo {
		return errors.New("say what to load: --demo is the only seed there is")
	}
	database, err := migrateAndSeed(ctx, env.cfg, newLogger(env))
	if err != nil {
		return err
	}
	database.Close()
	fmt.Fprintln(env.stdout, "demo directory loaded")
	return nil
}

type tokenOptions struct {
	user, role, unit, assignment *string
	ttl                          *time.Duration
}

func tokenFlags(fs *flag.FlagSet) any {
	return &tokenOptions{
		user:       fs.String("user", "", "demo user, e.g. anna.larare"),
		role:       fs.String("role", "", "which of the user's roles (default: the user's default assignment)"),
		unit:       fs.String("unit", "", "for which of the user's units (default: the user's default assignment)"),
		assignment: fs.String("assignment", "", "role and unit at once, ROLE@UNIT, e.g. supervisor@norrkoping-skola-1"),
		ttl:        fs.Duration("ttl", 8*time.Hour, "how long the token is valid"),
	}
}

// runToken prints a bearer token from the dev issuer for a user of the directory. It works only
// with the key `samverkan dev` keeps in the data folder: no production IdP accepts these. A user with
// several assignments gets their default one unless --assignment (or --role/--unit) says which; the
// choice and the others are listed on stderr, so TOKEN=$(samverkan token …) still gets the token alone.
func runToken(ctx context.Context, env *environment, extra any) error {
	opts := extra.(*tokenOptions)
	if *opts.user == "" {
		return errors.New("--user: required, e.g. --user anna.larare")
	}
	if limit := env.cfg.TokenMaxLifetime; limit > 0 && *opts.ttl > limit {
		return fmt.Errorf("--ttl %s: longer than SAMVERKAN_TOKEN_MAX_LIFETIME (%s), which the API would refuse", *opts.ttl, limit)
	}
	token, err := signDevToken(ctx, env, *opts.user, *opts.role, *opts.unit, *opts.assignment, *opts.ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, token)
	return nil
}

// signDevToken signs a token with the dev issuer in the data folder for a user of the directory,
// in the assignment role/unit/assignment choose (chooseAssignment); an unpinned choice is listed
// with the user's others on stderr.
func signDevToken(ctx context.Context, env *environment, userID, role, unit, assignment string, ttl time.Duration) (string, error) {
	database, err := openDB(ctx, env.cfg, newLogger(env))
	if err != nil {
		return "", err
	}
	defer database.Close()
	user, err := database.User(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("--user %s: %w", userID, err)
	}
	chosen, pinned, err := chooseAssignment(user, role, unit, assignment)
	if err != nil {
		return "", err
	}
	if !pinned {
		listAssignments(ctx, env.stderr, database, user, chosen)
	}
	issuer, err := auth.LoadOrCreateIssuer(filepath.Join(env.cfg.DataDir, "dev-issuer.pem"), devIssuer(env.cfg))
	if err != nil {
		return "", err
	}
	return issuer.Sign(auth.Claims{User: user.ID, Name: user.DisplayName, Role: string(chosen.Role), Unit: chosen.UnitID},
		env.cfg.OIDCAudience, ttl, time.Now())
}
