package api

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/workflows"
)

// The task kinds the inbox may answer with are the workflow's, no more and no fewer: a new kind of
// task without its enum value would fail answer validation only when a test happens to meet it.
func TestTaskKindsAreDocumented(t *testing.T) {
	doc := apitest.Document(t)
	var documented []string
	for _, v := range doc.Components.Schemas["Task"].Value.Properties["kind"].Value.Enum {
		documented = append(documented, v.(string))
	}
	var kinds []string
	for _, k := range workflows.TaskKinds {
		kinds = append(kinds, string(k))
	}
	require.ElementsMatch(t, kinds, documented)
}
