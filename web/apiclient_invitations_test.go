package web

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestInvitationOffered: the form answers the invitation the API offers, read from the action's path;
// anything else in the actions, or a path of another case, offers none.
func TestInvitationOffered(t *testing.T) {
	answer := func(path string) Action { return Action{Command: "answerInvitation", Method: "POST", Path: path} }
	for _, row := range []struct {
		name    string
		actions []Action
		want    string
		offered bool
	}{
		{"BUP's invitation", []Action{{Command: "meeting", Path: "/api/v1/cases/ABC-1/meeting"},
			answer("/api/v1/cases/ABC-1/summons/invitations/norrkoping-bup/answer")}, "norrkoping-bup", true},
		{"an escaped unit ID", []Action{answer("/api/v1/cases/ABC-1/summons/invitations/enhet%20%C3%A5/answer")}, "enhet å", true},
		{"nothing to answer", []Action{{Command: "meeting", Path: "/api/v1/cases/ABC-1/meeting"}}, "", false},
		{"another case's path", []Action{answer("/api/v1/cases/XYZ-9/summons/invitations/norrkoping-bup/answer")}, "", false},
		{"a path that is no answer", []Action{answer("/api/v1/cases/ABC-1/summons/invitations/a/b/answer")}, "", false},
	} {
		t.Run(row.name, func(t *testing.T) {
			id, ok := invitationOffered(Case{CaseID: "ABC-1", Actions: row.actions})
			require.Equal(t, row.offered, ok)
			require.Equal(t, row.want, id)
		})
	}
}
