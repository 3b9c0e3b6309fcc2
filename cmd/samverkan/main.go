// Command samverkan is the one binary of the system: `dev` runs everything in one process on a
// laptop; `serve`, `worker` and `migrate` are the production shape against a Temporal cluster and
// PostgreSQL. It holds configuration and wiring only – no business logic.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/samverkan/samverkan/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// command is one subcommand: its extra flags and what it does with the loaded configuration.
type command struct {
	summary string
	flags   func(fs *flag.FlagSet) any
	run     func(ctx context.Context, env *environment, extra any) error
}

// environment is what every subcommand gets: its configuration and where to write.
type environment struct {
	cfg    config.Config
	stdout io.Writer
	stderr io.Writer
}

func commands() map[string]command {
	return map[string]command{
		"dev":       {"everything in one process: embedded Temporal + Web UI, worker, API, SQLite", nil, runDev},
		"serve":     {"the HTTP API, against a Temporal cluster and the database", nil, runServe},
		"worker":    {"the Temporal worker that runs the case workflows", nil, runWorker},
		"migrate":   {"apply the database migrations and print the schema version", nil, runMigrate},
		"seed":      {"load the synthetic demo directory (--demo); idempotent", seedFlags, runSeed},
		"token":     {"print a dev bearer token for a demo user (--user NAME [--assignment ROLE@UNIT])", tokenFlags, runToken},
		"backup":    {"copy what dev keeps – both SQLite databases and the keys – into a new folder, while it runs (DIR)", dirFlags, runBackup},
		"restore":   {"put a backup (DIR) into the data folder, which must be new or empty", dirFlags, runRestore},
		"reproject": {"rebuild the read model from the open cases' workflows; idempotent, resumable (--resume TOKEN)", reprojectFlags, runReproject},
		"archive":   {"archive the cases whose workflows completed before the archive existed; needs a running worker", nil, runArchive},
		"load":      {"offer requests to an API at a fixed rate (open loop) and report what came back (--scenario, --rate, --duration)", loadFlags, runLoad},
		"filters":   {"print the Temporal Web UI's saved filters for supervisors as they read today (--municipality ID)", filterFlags, runFilters},
	}
}

var commandOrder = []string{"dev", "serve", "worker", "migrate", "seed", "token", "filters", "backup", "restore", "reproject", "archive", "load"}

// run is main without the process: the end-to-end tests call it too.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "samverkan: unknown command %q (see samverkan --help)\n", args[0])
		return 2
	}
	fs := flag.NewFlagSet("samverkan "+args[0], flag.ContinueOnError)
	var extra any
	if cmd.flags != nil {
		extra = cmd.flags(fs)
	}
	cfg, err := config.Load(fs, args[1:], getenv)
	if errors.Is(err, flag.ErrHelp) {
		usage(stdout)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "samverkan %s: %v\n", args[0], err)
		return 2
	}
	if err := cmd.run(ctx, &environment{cfg: cfg, stdout: stdout, stderr: stderr}, extra); err != nil {
		fmt.Fprintf(stderr, "samverkan %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "samverkan – early, coordinated support for children and youth")
	fmt.Fprintln(w, "\nUsage: samverkan COMMAND [flags]\n\nCommands:")
	cmds := commands()
	for _, name := range commandOrder {
		fmt.Fprintf(w, "  %-9s %s\n", name, cmds[name].summary)
	}
	fmt.Fprintln(w, "\nSettings (environment variable, or the flag of the same meaning):")
	config.Usage(w)
}
