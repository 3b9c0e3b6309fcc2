package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestScreenshotWebPages takes the README's pictures of the front end, as TestScreenshotPlan takes
// the plan's: docs/screenshot-inbox.png – Mina uppgifter of the principal bertil.rektor with a
// dozen invented children's concerns to take and a case to assess; docs/screenshot-concern.png –
// Anmäl oro sent empty, with its error summary; docs/screenshot-case.png – the hub of Alva's case
// (invented) with the plan proposed and established, as the coordinator Cecilia sees it. Each is
// checked with axe first. Runs only when SAMVERKAN_SCREENSHOTS names the folder
// (scripts/screenshots.sh).
func TestScreenshotWebPages(t *testing.T) {
	out := os.Getenv(screenshotsEnv)
	if out == "" {
		t.Skip("set " + screenshotsEnv + " to a folder to take the screenshots (scripts/screenshots.sh)")
	}
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_RATE_PER_USER=off")
	s.start()
	registerChildren(t, s, 12, 700, localDay(-3, 9, 0))
	caseID := s.walkToCoordinator(planStory(624))
	coordinator := s.token(coordinatorUser)
	s.mustActPlan(coordinator, "POST", caseID, "plans", planBody())
	for _, g := range []string{guardianOne, guardianTwo} {
		s.mustActPlan(coordinator, "POST", caseID, "plans/1/approvals", approvalBody("guardian", g))
	}
	s.mustActPlan(coordinator, "POST", caseID, "plans/1/approvals", approvalBody("child", ""))

	write := func(b *browser, name string) {
		t.Helper()
		png := fullPage(b, 1280)
		path, err := filepath.Abs(filepath.Join(out, name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, png, 0o644))
		t.Logf("wrote %s (%d bytes)", path, len(png))
	}

	b := newBrowser(t, s)
	b.login("bertil.rektor", "named_person", "norrkoping-skola-1")
	require.GreaterOrEqual(t, b.count(".task-rows li"), 12)
	b.axe("Mina uppgifter")
	write(b, "screenshot-inbox.png")
	b.logout()

	b.login("anna.larare", "reporter", "norrkoping-skola-1")
	b.open("/oro/ny")
	b.fillFields(map[string]string{"#child-name": "Melwin Påhittad", "#child-pnr": "20120315-981"})
	b.submit(`button[value="granska"]`)
	require.NotEmpty(t, b.summary(), "the error summary")
	b.axe("Anmäl oro, with errors")
	write(b, "screenshot-concern.png")
	b.logout()

	b.login(coordinatorUser, "coordinator", "norrkoping-socialtjanst")
	b.open("/arenden/" + caseID)
	require.Contains(t, b.text("main"), "Planen (SIP), version 1")
	b.axe("the case hub")
	write(b, "screenshot-case.png")
}
