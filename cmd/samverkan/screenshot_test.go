package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
)

// screenshotsEnv names the folder the screenshot tests write their PNGs to (scripts/screenshots.sh
// passes docs/); without it they are skipped, since they need Debian's chromium.
const screenshotsEnv = "SAMVERKAN_SCREENSHOTS"

// TestScreenshotYearlyReport takes docs/yearly-report.png, the picture of the yearly follow-up in
// the README: it runs `samverkan dev` on a data folder of its own, loads the demo directory, reports
// and acknowledges synthetic children's concerns over this year through HTTP (some taken late, so
// deadlines were missed), drives some cases on to the meeting, the coordinator and closing, saves
// the page as the steering group's chair reads it, and has headless Chromium take the picture of the
// saved file.
func TestScreenshotYearlyReport(t *testing.T) {
	out := os.Getenv(screenshotsEnv)
	if out == "" {
		t.Skip("set " + screenshotsEnv + " to a folder to take the screenshots (scripts/screenshots.sh)")
	}
	chromium, err := exec.LookPath("chromium")
	require.NoError(t, err, "apt-get install -y chromium")
	s := newSystem(t)
	s.env = append(s.env, "SAMVERKAN_RATE_PER_USER=off")
	s.start()
	s.command("seed", "--demo")
	b := newCaseBuilder(s, "stina.styrgrupp", "lars.friskola", "gustav.forskola", "helena.gymnasium", "johanna.bvc", "ivar.kaa")
	reportYear(t, s, b)
	var specs []fixtureSpec
	for i, st := range []stage{stageConsented, stageMet, stageCoordinated} {
		for k := range 6 + i {
			specs = append(specs, fixtureSpec{track: trackNorrkoping, stage: st, tag: fmt.Sprint(k)})
		}
	}
	b.buildAll(t, s, specs, 4)
	for k := range 5 { // closed by the named person after the meeting
		f := b.fixture(fixtureSpec{track: trackNorrkoping, stage: stageCoordinated, tag: fmt.Sprint(k)})
		s.mustAct(b.token("bertil.rektor"), "POST", f.caseID, "closing", closingBody())
	}

	year := time.Now().In(casework.Stockholm).Year()
	req, err := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/reports/yearly/page?year=%d", s.apiURL, year), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+b.token("stina.styrgrupp"))
	var page []byte
	require.Eventually(t, func() bool { // the read model follows the workflows within moments
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		page, err = io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode == http.StatusOK
	}, 30*time.Second, 200*time.Millisecond)
	dir := t.TempDir()
	html := filepath.Join(dir, "yearly.html")
	require.NoError(t, os.WriteFile(html, page, 0o600))
	png, err := filepath.Abs(filepath.Join(out, "yearly-report.png"))
	require.NoError(t, err)
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--window-size=1280,1900", "--screenshot="+png, "file://"+html)
	log, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", log)
	info, err := os.Stat(png)
	require.NoError(t, err)
	t.Logf("wrote %s (%d bytes)", png, info.Size())
}

// reportYear reports concerns about 48 synthetic children of Norrköping, dated over this year up to
// last week, of every age and schooling; their named persons take most of them, a few late.
func reportYear(t *testing.T, s *system, b *caseBuilder) {
	r := rand.New(rand.NewPCG(12, 2026))
	now := time.Now().In(casework.Stockholm)
	first := time.Date(now.Year(), 1, 8, 9, 0, 0, 0, casework.Stockholm)
	span := now.AddDate(0, 0, -7).Sub(first)
	named := map[string]string{"norrkoping-skola-1": "bertil.rektor", "norrkoping-skola-2": "lars.friskola",
		"norrkoping-forskola-1": "gustav.forskola", "norrkoping-gymnasium-1": "helena.gymnasium",
		"norrkoping-bvc-1": "johanna.bvc", "norrkoping-kaa": "ivar.kaa"}
	for i := range 48 {
		at := first.Add(time.Duration(r.Int64N(int64(span)))).Truncate(time.Minute)
		var age int
		schooling := map[string]any{}
		switch i % 6 {
		case 0:
			age, schooling["status"] = 1+r.IntN(2), "none"
		case 1:
			age, schooling["status"], schooling["unitId"] = 3+r.IntN(3), "preschool", "norrkoping-forskola-1"
		case 2, 3:
			age, schooling["status"], schooling["unitId"] = 7+r.IntN(6), "school", "norrkoping-skola-1"
			schooling["grade"] = fmt.Sprint(age - 6)
		case 4:
			age, schooling["status"], schooling["unitId"] = 13+r.IntN(3), "school", "norrkoping-skola-2"
			schooling["grade"] = fmt.Sprint(age - 6)
		default:
			age, schooling["status"], schooling["unitId"] = 16+r.IntN(2), "upper_secondary_home_county", "norrkoping-gymnasium-1"
		}
		if i%6 == 5 && i%12 == 11 {
			schooling = map[string]any{"status": "left_upper_secondary"}
		}
		birth := time.Date(at.Year()-age, at.Month(), 1, 0, 0, 0, 0, casework.Stockholm).AddDate(0, -r.IntN(11), -r.IntN(27))
		var areas []string
		for _, a := range casework.WheelAreas {
			if r.IntN(3) == 0 {
				areas = append(areas, string(a))
			}
		}
		if len(areas) == 0 {
			areas = []string{string(casework.AreaTrygghet)}
		}
		concern := map[string]any{
			"child": map[string]any{"personalNumber": syntheticPersonalNumber(birth, 500+i), "name": fmt.Sprintf("Årsbarn%d Påhittad", i),
				"birthDate": birth.Format(time.DateOnly), "municipality": "norrkoping", "schooling": schooling},
			"areas": areas, "observation": "Påhittad oro för skärmbilden av årsuppföljningen.", "suspectsHarm": false,
			"occurredAt": rfc3339(at),
		}
		created := s.concernCase(b.token("anna.larare"), concern)
		if i%8 == 7 {
			continue // not taken yet
		}
		taken := at.AddDate(0, 0, r.IntN(5)).Add(time.Hour)
		user, ok := named[created.NamedPersonUnit.ID]
		require.True(t, ok, "routed to %s", created.NamedPersonUnit.ID)
		s.mustAct(b.token(user), "POST", created.CaseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(taken)})
	}
}
