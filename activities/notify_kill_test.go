package activities

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
)

// The worker that TestNotifyWorkerKilledMidDataMailsOnce kills is this test binary run again with
// these variables set: it runs Notify once and is killed in the middle of the message.
const (
	childEnv        = "SAMVERKAN_NOTIFY_CHILD"
	childDBURLEnv   = "SAMVERKAN_NOTIFY_CHILD_DB_URL"
	childDBPathEnv  = "SAMVERKAN_NOTIFY_CHILD_DB_PATH"
	childSMTPEnv    = "SAMVERKAN_NOTIFY_CHILD_SMTP"
	childRequestEnv = "SAMVERKAN_NOTIFY_CHILD_REQUEST"
	childStalled    = "stalled in DATA"
)

func TestMain(m *testing.M) {
	switch {
	case os.Getenv(childEnv) == "1":
		os.Exit(runNotifyChild())
	case os.Getenv(sweepChildEnv) == "1":
		os.Exit(runSweepChild()) // erasure_kill_test.go
	}
	os.Exit(m.Run())
}

// runNotifyChild is the worker about to die: it sends, says when the message is half written, and
// waits there for the kill.
func runNotifyChild() int {
	ctx := context.Background()
	d, err := db.Open(ctx, db.Options{URL: os.Getenv(childDBURLEnv), SQLitePath: os.Getenv(childDBPathEnv)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var req NotifyRequest
	if err := json.Unmarshal([]byte(os.Getenv(childRequestEnv)), &req); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	stalled := make(chan struct{})
	go func() {
		<-stalled
		fmt.Println(childStalled)
	}()
	a := &Activities{DB: d, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)), Mail: MailSettings{
		Mailer: &SMTPMailer{Addr: os.Getenv(childSMTPEnv), Timeout: time.Minute, DialContext: stallingDialer(stalled)},
		From:   testFrom, PublicURL: testPublicURL}}
	_, err = a.Notify(ctx, req)
	fmt.Fprintln(os.Stderr, "the child was not killed:", err)
	return 1
}

// TestNotifyWorkerKilledMidDataMailsOnce kills a worker process (SIGKILL) while it is writing the
// message to the SMTP server. The server discards the unfinished message; the outbox row stays
// 'sending' under the dead attempt's lease, which keeps a retry from sending while that attempt
// might still be alive; once the lease has run out the retry sends it – one mail in all.
func TestNotifyWorkerKilledMidDataMailsOnce(t *testing.T) {
	ctx := context.Background()
	opts := dbtest.Fresh(t)
	f := newNotifyFixture(t, opts)
	req := reminderTo("case-x/acknowledge/1/1", casework.Assignee{UserID: "bertil.rektor"})
	body, err := json.Marshal(req)
	require.NoError(t, err)

	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"=1", childDBURLEnv+"="+opts.URL, childDBPathEnv+"="+opts.SQLitePath,
		childSMTPEnv+"="+f.server.addr, childRequestEnv+"="+string(body))
	child.Stderr = testWriter{t}
	out, err := child.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, child.Start())
	t.Cleanup(func() { _ = child.Process.Kill(); _ = child.Wait() })
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case line := <-lines:
		require.Equal(t, childStalled+"\n", line)
	case <-time.After(60 * time.Second):
		t.Fatal("the child never reached the message")
	}
	require.NoError(t, child.Process.Kill())
	_ = child.Wait()

	require.Empty(t, f.server.received(), "the server discarded the unfinished message")
	row := f.outbox(t, req.Key, "bertil.rektor")
	require.Equal(t, db.MailSending, row.Status, "the dead attempt's claim")
	require.Equal(t, 1, row.Attempts)
	require.Len(t, f.inApp(t, "bertil.rektor"), 1, "the notification was in the app before the mail")

	_, err = f.a.Notify(ctx, req)
	require.ErrorContains(t, err, "another attempt is sending it", "while the lease runs the retry waits")
	require.Empty(t, f.server.received())

	f.clock.Advance(3 * time.Minute) // past the lease: the attempt is dead
	res, err := f.a.Notify(ctx, req)
	require.NoError(t, err)
	require.Equal(t, NotifyResult{Users: 1, Mailed: 1}, res)
	res, err = f.a.Notify(ctx, req)
	require.NoError(t, err)
	require.Equal(t, NotifyResult{Users: 1, AlreadySent: 1}, res)
	require.Len(t, f.server.received(), 1)
	require.Equal(t, 2, f.outbox(t, req.Key, "bertil.rektor").Attempts)
	require.Len(t, f.inApp(t, "bertil.rektor"), 1)
}
