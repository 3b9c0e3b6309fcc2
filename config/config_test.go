package config

import (
	"flag"
	"os"
	"strings"
	"testing"
	"time"
)

func load(env map[string]string, args ...string) (Config, error) {
	return Load(flag.NewFlagSet("test", flag.ContinueOnError), args, func(k string) string { return env[k] })
}

func TestLoad(t *testing.T) {
	t.Run("defaults need no environment", func(t *testing.T) {
		c, err := load(nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.HTTPAddr != "127.0.0.1:8080" || c.DataDir != "./data" || c.ShutdownTimeout != 15*time.Second || c.IsPostgres() {
			t.Fatalf("unexpected defaults: %+v", c)
		}
	})
	t.Run("a flag wins over its variable", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_HTTP_ADDR": "127.0.0.1:1"}, "--http-addr", "127.0.0.1:2")
		if err != nil || c.HTTPAddr != "127.0.0.1:2" {
			t.Fatalf("got %q, %v", c.HTTPAddr, err)
		}
	})
	t.Run("a postgres URL selects PostgreSQL", func(t *testing.T) {
		c, err := load(map[string]string{"SAMVERKAN_DATABASE_URL": "postgres://u@h/db"})
		if err != nil || !c.IsPostgres() {
			t.Fatalf("got %+v, %v", c, err)
		}
	})
	bad := []struct{ name, env, value string }{
		{"an address without a port", "SAMVERKAN_HTTP_ADDR", "localhost"},
		{"a port out of range", "SAMVERKAN_DEV_TEMPORAL_PORT", "70000"},
		{"a duration without a unit", "SAMVERKAN_SHUTDOWN_TIMEOUT", "15"},
		{"an unknown log level", "SAMVERKAN_LOG_LEVEL", "loud"},
		{"a database URL of another kind", "SAMVERKAN_DATABASE_URL", "mysql://x"},
		{"a short pseudonym key", "SAMVERKAN_PSEUDONYM_KEY", "abcd"},
	}
	for _, tc := range bad {
		t.Run(tc.name+" is refused naming the variable", func(t *testing.T) {
			_, err := load(map[string]string{tc.env: tc.value})
			if err == nil || !strings.HasPrefix(err.Error(), tc.env+": ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q does not name %s on one line", err, tc.env)
			}
		})
	}
	t.Run("a client certificate without its key is refused", func(t *testing.T) {
		if _, err := load(map[string]string{"SAMVERKAN_TEMPORAL_TLS_CERT": "c.pem"}); err == nil {
			t.Fatal("accepted")
		}
	})
}

// TestReadmeListsEverySetting keeps the README's configuration table true.
func TestReadmeListsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range Settings() {
		if !strings.Contains(string(readme), "| `"+s.Env+"` | `--"+s.Flag+"` |") {
			t.Errorf("README.md has no row for %s (--%s)", s.Env, s.Flag)
		}
	}
}
