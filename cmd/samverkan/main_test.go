package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	t.Run("a bad setting stops the command with one line naming the variable", func(t *testing.T) {
		var out, errOut bytes.Buffer
		env := map[string]string{"SAMVERKAN_HTTP_ADDR": "no-port-here"}
		code := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &out, &errOut)
		if code != 2 {
			t.Fatalf("exit code %d, want 2", code)
		}
		msg := errOut.String()
		if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "SAMVERKAN_HTTP_ADDR") {
			t.Fatalf("want one line naming SAMVERKAN_HTTP_ADDR, got %q", msg)
		}
	})
	t.Run("help lists every command and setting", func(t *testing.T) {
		var out bytes.Buffer
		if code := run(context.Background(), []string{"--help"}, func(string) string { return "" }, &out, &out); code != 0 {
			t.Fatalf("exit code %d", code)
		}
		for _, want := range append(append([]string{}, commandOrder...), "SAMVERKAN_DATABASE_URL", "SAMVERKAN_TEMPORAL_ADDRESS", "SAMVERKAN_PSEUDONYM_KEY") {
			if !strings.Contains(out.String(), want) {
				t.Errorf("--help does not mention %s", want)
			}
		}
	})
	t.Run("an unknown command is refused", func(t *testing.T) {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &errOut); code != 2 {
			t.Fatalf("exit code %d", code)
		}
	})
	t.Run("serve without an identity provider refuses to start", func(t *testing.T) {
		var out, errOut bytes.Buffer
		code := run(context.Background(), []string{"serve"}, func(string) string { return "" }, &out, &errOut)
		if code != 1 || !strings.Contains(errOut.String(), "SAMVERKAN_OIDC_ISSUER") {
			t.Fatalf("exit %d, %q", code, errOut.String())
		}
	})
}
