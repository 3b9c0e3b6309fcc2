package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/samverkan/samverkan/activities"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/config"
	"github.com/samverkan/samverkan/workflows"
)

// TestTemporalHistoryHoldsNoPersonalData registers a concern about an invented child and then looks
// at the case as someone with a copy of Temporal's database would: the history read without the
// codec, and the bytes of the SQLite file. Neither may show the child's name, personal identity
// number or what the teacher observed. Through the API the case still reads in full, and a
// supervisor – only a supervisor – can decode the history's payloads through the codec endpoint.
func TestTemporalHistoryHoldsNoPersonalData(t *testing.T) {
	s := newSystem(t)
	s.start()
	anna, bertil, david := s.token("anna.larare"), s.token("bertil.rektor"), s.token("david.chef")

	const (
		name        = "Ylvalisa Krusbärsdotter"
		observation = "Berättar om blåmärken på armarna och att hon sover i skolans vilorum (påhittad iakttagelse QX7)."
	)
	birth := birthDateForAge(11)
	pnr := syntheticPersonalNumber(birth, 873)
	secrets := personalDataForms(name, pnr, observation)

	var created caseBody
	body := childConcern(name, birth, 873, "5", []string{"hälsa", "hemmet"}, observation, false, localDay(-1, 9, 0))
	created = s.concernCase(anna, body)
	// A second concern joins the case through an update, and the named person acknowledges: the
	// history then holds a start, updates and activities, all of which carry the child's data.
	require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/concerns", bertil,
		childConcern(name, birth, 873, "5", []string{"hälsa"}, observation, false, localDay(-1, 11, 0)), nil))
	s.mustAct(bertil, "POST", created.CaseID, "acknowledgement", map[string]any{"occurredAt": rfc3339(localDay(-1, 12, 0))})
	workflowID := workflows.CaseWorkflowID(created.CaseID[:strings.IndexByte(created.CaseID, '-')])

	t.Run("the API still shows the child, so the codec works both ways", func(t *testing.T) {
		var c struct {
			Child struct {
				Name           string `json:"name"`
				PersonalNumber string `json:"personalNumber"`
			} `json:"child"`
			Concerns []struct {
				Observation string `json:"observation"`
			} `json:"concerns"`
		}
		require.Equal(t, http.StatusOK, s.call("GET", "/api/v1/cases/"+created.CaseID, bertil, nil, &c))
		require.Equal(t, name, c.Child.Name)
		require.Equal(t, strings.ReplaceAll(pnr, "-", ""), c.Child.PersonalNumber)
		require.Len(t, c.Concerns, 2)
		require.Equal(t, observation, c.Concerns[0].Observation)
	})

	events := s.rawHistory(workflowID, func(events []*historypb.HistoryEvent) bool {
		// Wait until the worker has answered the acknowledgement and projected the case after it.
		n := 0
		for _, e := range events {
			if e.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED {
				n++
			}
		}
		return n >= 2
	})
	// The start carries only the case ID; the child and the concern come in the first update.
	var startInput, concernInput *commonpb.Payload
	t.Run("the stored history, read without the codec, holds none of it", func(t *testing.T) {
		var raw bytes.Buffer
		encrypted := 0
		for _, e := range events {
			b, err := proto.Marshal(e)
			require.NoError(t, err)
			raw.Write(b)
			if a := e.GetWorkflowExecutionStartedEventAttributes(); a != nil {
				startInput = a.GetInput().GetPayloads()[0]
			}
			if a := e.GetWorkflowExecutionUpdateAcceptedEventAttributes(); a != nil && concernInput == nil {
				concernInput = a.GetAcceptedRequest().GetInput().GetArgs().GetPayloads()[0]
			}
			encrypted += strings.Count(string(b), codec.EncodingEncrypted)
		}
		require.NotNil(t, startInput, "no start event in the history")
		require.NotNil(t, concernInput, "no accepted update in the history")
		require.Greater(t, encrypted, 5, "the history has hardly any encrypted payloads: did we read the right one?")
		requireNoneOf(t, "history", raw.Bytes(), secrets)

		var start workflows.CaseStart
		err := converter.GetDefaultDataConverter().FromPayload(startInput, &start)
		require.Error(t, err, "the start input reads without the key")
		var concern map[string]any
		require.Error(t, converter.GetDefaultDataConverter().FromPayload(concernInput, &concern), "the concern reads without the key")
	})

	t.Run("Temporal's SQLite file holds none of it", func(t *testing.T) {
		var stored []byte
		for _, suffix := range []string{"", "-wal"} {
			b, err := os.ReadFile(filepath.Join(s.dataDir, "temporal.db"+suffix))
			if suffix == "-wal" && os.IsNotExist(err) {
				continue
			}
			require.NoError(t, err)
			stored = append(stored, b...)
		}
		// The file must hold this case at all, with its history uncompressed, or the check proves
		// nothing: the workflow ID and the names of scheduled activities (the notice to the named
		// person) are stored in clear.
		require.True(t, bytes.Contains(stored, []byte(workflowID)), "the workflow ID is not in temporal.db")
		require.True(t, bytes.Contains(stored, []byte(activities.NameNotify)), "the history is not in temporal.db")
		requireNoneOf(t, "temporal.db", stored, secrets)
	})

	t.Run("a supervisor decodes a payload of the history through the codec endpoint", func(t *testing.T) {
		var out codecPayloads
		in := codecPayloads{Payloads: []codecPayload{asCodecPayload(startInput), asCodecPayload(concernInput)}}
		require.Equal(t, http.StatusOK, s.call("POST", "/api/v1/codec/decode", david, in, &out))
		require.Len(t, out.Payloads, 2)
		require.Equal(t, "json/plain", string(out.Payloads[0].Metadata["encoding"]))
		var start workflows.CaseStart
		require.NoError(t, json.Unmarshal(out.Payloads[0].Data, &start))
		require.Equal(t, created.CaseID, start.CaseID)
		concern := string(out.Payloads[1].Data)
		require.Contains(t, concern, name)
		require.Contains(t, concern, strings.ReplaceAll(pnr, "-", ""))
		require.Contains(t, concern, observation)
	})
	t.Run("a teacher gets 403 and no token 401 from the codec endpoint", func(t *testing.T) {
		in := codecPayloads{Payloads: []codecPayload{asCodecPayload(concernInput)}}
		require.Equal(t, http.StatusForbidden, s.call("POST", "/api/v1/codec/decode", anna, in, nil))
		require.Equal(t, http.StatusForbidden, s.call("POST", "/api/v1/codec/decode", bertil, in, nil))
		require.Equal(t, http.StatusUnauthorized, s.call("POST", "/api/v1/codec/decode", "", in, nil))
	})
	t.Run("the embedded Web UI is pointed at the codec endpoint, which lets its origin call", func(t *testing.T) {
		var settings struct {
			Codec struct {
				Endpoint        string
				PassAccessToken bool
			}
		}
		res, err := http.Get(s.uiURL + "/api/v1/settings")
		require.NoError(t, err)
		defer res.Body.Close()
		require.NoError(t, decodeJSONBody(res, &settings))
		require.Equal(t, s.apiURL+"/api/v1/codec", settings.Codec.Endpoint)
		require.True(t, settings.Codec.PassAccessToken)

		req, err := http.NewRequest("OPTIONS", s.apiURL+"/api/v1/codec/decode", nil)
		require.NoError(t, err)
		req.Header.Set("Origin", s.uiURL)
		req.Header.Set("Access-Control-Request-Method", "POST")
		pre, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		pre.Body.Close()
		require.Equal(t, http.StatusNoContent, pre.StatusCode)
		require.Equal(t, s.uiURL, pre.Header.Get("Access-Control-Allow-Origin"))
	})
}

// personalDataForms is every way the child's data could be written: the personal number with and
// without century and hyphen, the name whole and in parts, the observation.
func personalDataForms(name, pnr, observation string) []string {
	digits := strings.ReplaceAll(pnr, "-", "")
	forms := []string{pnr, digits, pnr[2:], digits[2:], name, observation, observation[:40]}
	return append(forms, strings.Fields(name)...)
}

func requireNoneOf(t *testing.T, where string, stored []byte, secrets []string) {
	t.Helper()
	for _, secret := range secrets {
		require.False(t, bytes.Contains(stored, []byte(secret)), "%s holds %q in clear", where, secret)
	}
}

// codecPayload is a payload in the remote codec protocol's JSON (bytes as base64).
type codecPayload struct {
	Metadata map[string][]byte `json:"metadata"`
	Data     []byte            `json:"data"`
}

type codecPayloads struct {
	Payloads []codecPayload `json:"payloads"`
}

func asCodecPayload(p *commonpb.Payload) codecPayload {
	return codecPayload{Metadata: p.GetMetadata(), Data: p.GetData()}
}

// rawHistory reads a workflow's history as Temporal stores it, with a client that has no codec,
// polling until ready says it is complete enough.
func (s *system) rawHistory(workflowID string, ready func([]*historypb.HistoryEvent) bool) []*historypb.HistoryEvent {
	s.t.Helper()
	c, err := client.Dial(client.Options{HostPort: "127.0.0.1:" + s.getenv("SAMVERKAN_DEV_TEMPORAL_PORT"), Logger: nopLogger{}})
	require.NoError(s.t, err)
	defer c.Close()
	var events []*historypb.HistoryEvent
	require.Eventually(s.t, func() bool {
		events = events[:0]
		it := c.GetWorkflowHistory(context.Background(), workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			e, err := it.Next()
			if err != nil {
				return false
			}
			events = append(events, e)
		}
		return ready(events)
	}, 30*time.Second, 200*time.Millisecond, "the history of %s never got complete", workflowID)
	return events
}

// codecDialOptions make a client that sees payloads and failures decrypted, with the keys of the
// system's data folder, for tests that read Temporal directly.
func (s *system) codecDialOptions() []grpc.DialOption {
	s.t.Helper()
	cfg, err := config.Load(newFlagSet(), nil, s.getenv)
	require.NoError(s.t, err)
	pc, err := payloadCodec(cfg, true)
	require.NoError(s.t, err)
	failures, err := converter.NewFailureGRPCClientInterceptor(converter.NewFailureGRPCClientInterceptorOptions{
		DataConverter: codec.DataConverter(pc), EncodeCommonAttributes: true,
	})
	require.NoError(s.t, err)
	payloads, err := converter.NewPayloadCodecGRPCClientInterceptor(converter.PayloadCodecGRPCClientInterceptorOptions{Codecs: []converter.PayloadCodec{pc}})
	require.NoError(s.t, err)
	// The failure interceptor must come first (see its documentation).
	return []grpc.DialOption{grpc.WithChainUnaryInterceptor(failures, payloads)}
}

// decryptingClient is a Temporal client of the system's embedded server with codecDialOptions,
// closed when the test ends.
func (s *system) decryptingClient() client.Client {
	s.t.Helper()
	// dev's embedded server, or the cluster's frontend when the system is the production shape.
	hostPort, namespace := "127.0.0.1:"+s.getenv("SAMVERKAN_DEV_TEMPORAL_PORT"), ""
	if addr := s.getenv("SAMVERKAN_TEMPORAL_ADDRESS"); addr != "" {
		hostPort, namespace = addr, s.getenv("SAMVERKAN_TEMPORAL_NAMESPACE")
	}
	c, err := client.Dial(client.Options{HostPort: hostPort, Namespace: namespace, Logger: nopLogger{},
		ConnectionOptions: client.ConnectionOptions{DialOptions: s.codecDialOptions()}})
	require.NoError(s.t, err)
	s.t.Cleanup(c.Close)
	return c
}

func TestServeAndWorkerRequireCodecKeys(t *testing.T) {
	env := map[string]string{
		"SAMVERKAN_OIDC_ISSUER": "https://idp.example.org", "SAMVERKAN_OIDC_JWKS_URL": "https://idp.example.org/jwks",
		"SAMVERKAN_PSEUDONYM_KEY": strings.Repeat("ab", 32),
		// Nothing listens here: a command that got past its keys would fail on the database instead.
		"SAMVERKAN_DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
	}
	for _, cmd := range []string{"serve", "worker"} {
		t.Run(cmd+" without SAMVERKAN_CODEC_KEYS stops with one line naming it", func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), []string{cmd}, func(k string) string { return env[k] }, &out, &errOut)
			msg := errOut.String()
			require.Equal(t, 1, code, msg)
			require.Equal(t, 1, strings.Count(msg, "\n"), msg)
			require.Contains(t, msg, "SAMVERKAN_CODEC_KEYS: required")
		})
	}
	t.Run("a key ID the codec refuses stops with a line naming the variable", func(t *testing.T) {
		_, err := payloadCodec(config.Config{CodecKeys: []config.CodecKey{{ID: "k 1", Secret: make([]byte, 32)}}}, false)
		require.ErrorContains(t, err, "SAMVERKAN_CODEC_KEYS: ")
	})
}

func TestDevKeepsItsCodecKey(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Config{DataDir: dir}
	first, err := payloadCodec(cfg, true)
	require.NoError(t, err)
	info, err := os.Stat(filepath.Join(dir, "codec.keys"))
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	enc, err := first.Encode([]*commonpb.Payload{{Data: []byte("x")}})
	require.NoError(t, err)
	again, err := payloadCodec(cfg, true)
	require.NoError(t, err)
	_, err = again.Decode(enc)
	require.NoError(t, err, "a restart made a new key")

	t.Run("a configured key wins over the file", func(t *testing.T) {
		cfg := config.Config{DataDir: dir, CodecKeys: []config.CodecKey{{ID: "prod1", Secret: make([]byte, 32)}}}
		c, err := payloadCodec(cfg, true)
		require.NoError(t, err)
		_, err = c.Decode(enc)
		require.ErrorContains(t, err, `"dev1"`, "payloads of the dev key need it in SAMVERKAN_CODEC_KEYS")
	})
}

func TestFailuresStoredInTemporalAreEncrypted(t *testing.T) {
	pc, err := payloadCodec(config.Config{CodecKeys: []config.CodecKey{{ID: "k1", Secret: make([]byte, 32)}}}, false)
	require.NoError(t, err)
	_, fc := temporalConverters(pc)
	cause := temporal.NewApplicationError("Ylvalisa Krusbärsdotter: samtycke saknas", workflows.ErrTypeConflict, "detalj om Ylvalisa")

	f := fc.ErrorToFailure(cause)
	b, err := proto.Marshal(f)
	require.NoError(t, err)
	require.NotContains(t, string(b), "Ylvalisa", "the failure Temporal would store holds the message in clear")
	require.Equal(t, workflows.ErrTypeConflict, f.GetApplicationFailureInfo().GetType(), "the type stays readable, so it must never hold personal data")

	var back *temporal.ApplicationError
	require.ErrorAs(t, fc.FailureToError(f), &back)
	require.Equal(t, "Ylvalisa Krusbärsdotter: samtycke saknas", back.Message(), "the API reads the reason as before")
	var detail string
	require.NoError(t, back.Details(&detail))
	require.Equal(t, "detalj om Ylvalisa", detail)
}

// A failure's encrypted attributes name their case like every other payload, so the codec endpoint
// decodes them only for the case's readers (api/codec.go).
func TestFailuresNameTheirWorkflow(t *testing.T) {
	pc, err := payloadCodec(config.Config{CodecKeys: []config.CodecKey{{ID: "k1", Secret: make([]byte, 32)}}}, false)
	require.NoError(t, err)
	_, fc := temporalConverters(pc)
	const wf = "case-abcdefghijklmnopqrstuvwxyz"
	fc = converter.WithFailureConverterSerializationContext(fc, converter.WorkflowSerializationContext{WorkflowID: wf})
	f := fc.ErrorToFailure(temporal.NewApplicationError("Ylvalisa Krusbärsdotter: samtycke saknas", workflows.ErrTypeConflict))
	require.Equal(t, wf, codec.WorkflowIDOf(f.GetEncodedAttributes()))
	var back *temporal.ApplicationError
	require.ErrorAs(t, fc.FailureToError(f), &back)
	require.Equal(t, "Ylvalisa Krusbärsdotter: samtycke saknas", back.Message())
}
