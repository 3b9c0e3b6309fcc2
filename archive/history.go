package archive

import (
	"context"
	"fmt"
	"slices"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/protobuf/proto"
)

// maxRuns bounds the chain of runs read for one case, as the timeline does (api/timeline).
const maxRuns = 1000

// ReadRuns reads the history of runID and of every run it continues, oldest first, with their run
// IDs. The payloads stay as Temporal stores them (encrypted by the codec). A running workflow's
// history is read as far as it goes: the ArchiveCase activity reads its own workflow's this way,
// before the workflow completes.
func ReadRuns(ctx context.Context, c client.Client, workflowID, runID string) (runIDs []string, runs [][]byte, err error) {
	for id := runID; ; {
		if len(runs) == maxRuns {
			return nil, nil, fmt.Errorf("history of %s: more than %d runs", workflowID, maxRuns)
		}
		var h historypb.History
		it := c.GetWorkflowHistory(ctx, workflowID, id, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				return nil, nil, fmt.Errorf("read history of %s run %s: %w", workflowID, id, err)
			}
			h.Events = append(h.Events, e)
		}
		if len(h.Events) == 0 {
			return nil, nil, fmt.Errorf("history of %s run %s is empty", workflowID, id)
		}
		raw, err := proto.Marshal(&h)
		if err != nil {
			return nil, nil, err
		}
		runIDs, runs = append(runIDs, id), append(runs, raw)
		id = h.Events[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
		if id == "" {
			break
		}
	}
	slices.Reverse(runIDs)
	slices.Reverse(runs)
	return runIDs, runs, nil
}
