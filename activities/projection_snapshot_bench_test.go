package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/db/dbtest"
)

// BenchmarkProjectCaseSnapshot is what the snapshot adds to a projection's write (issue 16): the same
// projection with no state, and with a state of the size of the plan case's largest (21 KB), sealed
// and written in the row's transaction. On the database of SAMVERKAN_TEST_DATABASE_URL, else SQLite.
func BenchmarkProjectCaseSnapshot(b *testing.B) {
	ctx := context.Background()
	d := dbtest.Open(b)
	if err := d.SeedDemo(ctx); err != nil {
		b.Fatal(err)
	}
	kr, err := codec.NewKeyring(codec.Key{ID: "k1", Secret: bytes.Repeat([]byte{5}, codec.KeySize)})
	if err != nil {
		b.Fatal(err)
	}
	a := &Activities{DB: d, Codec: codec.New(kr)}
	state, err := json.Marshal(map[string]string{"caseId": "case-b", "plans": strings.Repeat("Stöd i skolan och hemma. ", 860)})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name  string
		state json.RawMessage
	}{{"without state", nil}, {"with a 21 KB state", state}} {
		b.Run(bc.name, func(b *testing.B) {
			p := CaseProjection{CaseID: "case-b-" + bc.name, WorkflowID: "case-x", Municipality: "norrkoping", Phase: casework.PhaseUpptacka,
				NamedPersonUnitID: "norrkoping-skola-1", Policy: casework.PolicyRef{ID: "norrkoping", Version: 1},
				OpenedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, casework.Stockholm), State: bc.state}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				p.StateSeq = int64(i + 1)
				if err := a.ProjectCase(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
