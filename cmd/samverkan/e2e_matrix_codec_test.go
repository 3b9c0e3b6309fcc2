package main

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/workflows"
)

// codecDecodeRequest sends, as the Temporal Web UI would, the encrypted start input of the
// situation's case, read from its history as Temporal stores it.
func codecDecodeRequest(m *matrix, a matrixActor, sit situation) matrixRequest {
	f := m.b.fixture(m.caseSpec(&matrixRow{stage: stageNew}, a, sit, 0))
	wf := workflows.CaseWorkflowID(f.caseID[:strings.IndexByte(f.caseID, '-')])
	events := m.s.rawHistory(wf, func(events []*historypb.HistoryEvent) bool { return len(events) > 0 })
	var payload map[string]any
	for _, e := range events {
		if e.GetEventType() != enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED {
			continue
		}
		p := e.GetWorkflowExecutionStartedEventAttributes().GetInput().GetPayloads()[0]
		meta := map[string]any{}
		for k, v := range p.GetMetadata() {
			meta[k] = base64.StdEncoding.EncodeToString(v)
		}
		payload = map[string]any{"metadata": meta, "data": base64.StdEncoding.EncodeToString(p.GetData())}
	}
	return matrixRequest{path: "/api/v1/codec/decode", token: true, body: map[string]any{"payloads": []any{payload}}}
}

// requireDecodedAsTableSays checks a 200 of the codec's decoding: the payload decoded, or still
// encrypted.
func requireDecodedAsTableSays(t testing.TB, cell string, body []byte, decoded bool) {
	t.Helper()
	encrypted := strings.Contains(string(body), base64.StdEncoding.EncodeToString([]byte(codec.EncodingEncrypted)))
	if encrypted == decoded {
		t.Errorf("%s: decoded %v, the table says %v: %s", cell, !encrypted, decoded, body)
	}
}

// checkNATFlood: every user of the matrix calls from 127.0.0.1, as an office calls from its one NAT
// address. Requests without a token from it until the address's budget is spent (429), and then
// every user's valid token still gets its answer: only the user's own budget limits it.
func (m *matrix) checkNATFlood(t *testing.T) {
	sc := *m.s
	sc.t = t
	flooded := false
	for range 2000 {
		if ans := sc.sendRaw("GET", "/api/v1/cases", "", nil, nil); ans.status == http.StatusTooManyRequests {
			flooded = true
			break
		}
	}
	require.True(t, flooded, "the address's budget never ran out")
	spent := time.Now()
	for _, a := range matrixActors {
		ans := sc.sendRaw("GET", "/api/v1/units", m.tokens[a.user], nil, nil)
		require.Equal(t, http.StatusOK, ans.status, "%s locked out by the flood: %s", a.user, ans.body)
	}
	// The flood is still stopped: the users' requests gave the address nothing back. Its bucket
	// refills at the default 20 a second meanwhile (SAMVERKAN_RATE_PER_ADDRESS), so the next 429
	// comes after at most what refilled – not after a fresh burst of 100.
	for n := 0; ; n++ {
		status := sc.sendRaw("GET", "/api/v1/cases", "", nil, nil).status
		if status == http.StatusTooManyRequests {
			break
		}
		refilled := int(20*time.Since(spent).Seconds()) + 2
		require.Less(t, n, refilled, "the flood's address got more than its refill back (%d)", status)
	}
}
