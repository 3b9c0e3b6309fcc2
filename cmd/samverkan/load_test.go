package main

import (
	"bytes"
	"context"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The load command drives a running system through HTTP: every concern it offers registers a new
// child's case (the named person's inbox grows by as many), and the command scenario saves the
// assessment of the cases it set up; what it prints counts what the system answered.
func TestLoadOffersConcernsAndCommandsToARunningSystem(t *testing.T) {
	s := newSystem(t).withoutUserRateLimit()
	s.start()
	bertil := s.token("bertil.rektor")
	inboxBefore := len(s.myTasks(bertil).Items)

	out := s.load("--scenario", "concerns", "--rate", "4", "--duration", "3s", "--first-child", "1000")
	t.Logf("samverkan load, concerns:\n%s", out)
	require.Contains(t, out, "12 arrivals, 12 sent, 0 refused")
	require.Equal(t, 12, answered2xx(t, out), out)
	require.Eventually(t, func() bool { return len(s.myTasks(bertil).Items) == inboxBefore+12 }, 30*time.Second, 200*time.Millisecond,
		"the named person's inbox does not hold the 12 new children's concerns")

	out = s.load("--scenario", "command", "--cases", "3", "--rate", "3", "--duration", "2s", "--first-child", "5000")
	require.Equal(t, 6, answered2xx(t, out), out)
	out = s.load("--scenario", "read", "--cases", "2", "--rate", "3", "--duration", "1s", "--first-child", "9000")
	require.Equal(t, 3, answered2xx(t, out), out)
}

func TestLoadRefusesAScenarioItDoesNotKnow(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"load", "--scenario", "stampede"}, func(string) string { return "" }, &out, &errOut)
	require.Equal(t, 1, code)
	require.Contains(t, errOut.String(), `--scenario "stampede"`)
}

func (s *system) load(args ...string) string {
	s.t.Helper()
	return s.command(append([]string{"load", "--url", s.apiURL}, args...)...)
}

var answered2xxLine = regexp.MustCompile(`(\d+) answered 2xx`)

func answered2xx(t *testing.T, report string) int {
	t.Helper()
	m := answered2xxLine.FindStringSubmatch(report)
	require.NotNil(t, m, "no count of 2xx answers in:\n%s", report)
	n, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	return n
}
