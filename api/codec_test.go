package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/samverkan/samverkan/api/apitest"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/db"
	"github.com/samverkan/samverkan/db/dbtest"
	"github.com/samverkan/samverkan/workflows"
)

const uiOrigin = "https://temporal-ui.example.org"

// Two cases: the school's, which its supervisor may read, and another municipality's.
var (
	ownCase   = workflows.CaseState{CaseID: "abcdefghijklmnopqrstuvwxyz-aaaa", NamedPersonUnit: &casework.UnitRef{ID: "skola"}}
	otherCase = workflows.CaseState{CaseID: "zyxwvutsrqponmlkjihgfedcba-bbbb", NamedPersonUnit: &casework.UnitRef{ID: "annan-skola"}}
)

func workflowOf(state workflows.CaseState) string {
	return workflows.CaseWorkflowID(state.CaseID[:strings.IndexByte(state.CaseID, '-')])
}

// caseStates answers the case-state query of the cases it holds, as the case workflow would.
type caseStates struct {
	client.Client
	byWorkflow map[string]workflows.CaseState
}

func (f caseStates) QueryWorkflow(_ context.Context, workflowID, _, queryType string, _ ...any) (converter.EncodedValue, error) {
	state, ok := f.byWorkflow[workflowID]
	if !ok || queryType != workflows.QueryCaseState {
		return nil, serviceerror.NewNotFound("no such workflow")
	}
	p, err := converter.GetDefaultDataConverter().ToPayloads(state)
	if err != nil {
		return nil, err
	}
	return encodedValue{p}, nil
}

type encodedValue struct{ p *commonpb.Payloads }

func (v encodedValue) HasValue() bool { return true }
func (v encodedValue) Get(ptr any) error {
	return converter.GetDefaultDataConverter().FromPayloads(v.p, ptr)
}

func codecTestServer(t *testing.T) (http.Handler, *codec.Codec, *db.DB) {
	t.Helper()
	secret := make([]byte, codec.KeySize)
	_, _ = rand.Read(secret)
	ring, err := codec.NewKeyring(codec.Key{ID: "k1", Secret: secret})
	require.NoError(t, err)
	s := &Server{
		DB:     dbtest.Open(t), // every decode is access-logged
		Now:    time.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Tokens: apitest.Tokens{
			"chef":   {User: "david.chef", Role: "supervisor", Unit: "skola"},
			"larare": {User: "anna.larare", Role: "reporter", Unit: "skola"},
			"admin":  {User: "adam.admin", Role: "admin", Unit: "region"},
		},
		Temporal:     caseStates{byWorkflow: map[string]workflows.CaseState{workflowOf(ownCase): ownCase, workflowOf(otherCase): otherCase}},
		Codec:        codec.New(ring),
		CodecOrigins: []string{uiOrigin},
	}
	// Only the codec's routes, behind the request ID: the test is about them alone.
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(s.requestID)
	s.codecRoutes(r)
	return r, s.Codec.(*codec.Codec), s.DB
}

func codecRequest(h http.Handler, method, path, token, origin, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func payloadsJSON(t *testing.T, ps ...*commonpb.Payload) string {
	t.Helper()
	b, err := protojson.Marshal(&commonpb.Payloads{Payloads: ps})
	require.NoError(t, err)
	return string(b)
}

func TestCodecEndpoint(t *testing.T) {
	h, c, _ := codecTestServer(t)
	plain, err := converter.GetDefaultDataConverter().ToPayload(map[string]string{"name": "Ylvalisa Krusbärsdotter"})
	require.NoError(t, err)
	enc, err := c.WithSerializationContext(converter.WorkflowSerializationContext{WorkflowID: workflowOf(ownCase)}).Encode([]*commonpb.Payload{plain})
	require.NoError(t, err)

	t.Run("a supervisor decodes a payload of their unit's case to its clear text", func(t *testing.T) {
		rec := codecRequest(h, "POST", "/api/v1/codec/decode", "chef", uiOrigin, payloadsJSON(t, enc...))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.Equal(t, uiOrigin, rec.Header().Get("Access-Control-Allow-Origin"))
		var out commonpb.Payloads
		require.NoError(t, protojson.Unmarshal(rec.Body.Bytes(), &out))
		require.Len(t, out.Payloads, 1)
		require.Contains(t, string(out.Payloads[0].Data), "Ylvalisa Krusbärsdotter")
		require.Equal(t, "json/plain", string(out.Payloads[0].Metadata["encoding"]))
	})
	t.Run("a supervisor encodes, and the result decodes", func(t *testing.T) {
		rec := codecRequest(h, "POST", "/api/v1/codec/encode", "chef", "", payloadsJSON(t, plain))
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		require.NotContains(t, rec.Body.String(), "Krusbärsdotter")
		var out commonpb.Payloads
		require.NoError(t, protojson.Unmarshal(rec.Body.Bytes(), &out))
		dec, err := c.Decode(out.Payloads)
		require.NoError(t, err)
		require.Equal(t, plain.Data, dec[0].Data)
	})
	t.Run("a caseless payload is not decoded for a supervisor, but for an administrator", func(t *testing.T) {
		caseless, err := c.Encode([]*commonpb.Payload{plain})
		require.NoError(t, err)
		rec := codecRequest(h, "POST", "/api/v1/codec/decode", "chef", "", payloadsJSON(t, caseless...))
		require.Equal(t, http.StatusOK, rec.Code)
		require.NotContains(t, rec.Body.String(), "Krusbärsdotter")
		rec = codecRequest(h, "POST", "/api/v1/codec/decode", "admin", "", payloadsJSON(t, caseless...))
		require.Equal(t, http.StatusOK, rec.Code)
		var out commonpb.Payloads
		require.NoError(t, protojson.Unmarshal(rec.Body.Bytes(), &out))
		require.Contains(t, string(out.Payloads[0].Data), "Krusbärsdotter")
	})
	t.Run("a plain payload comes back as it is", func(t *testing.T) {
		rec := codecRequest(h, "POST", "/api/v1/codec/decode", "chef", "", payloadsJSON(t, plain))
		require.Equal(t, http.StatusOK, rec.Code)
		require.Contains(t, rec.Body.String(), `"data":`)
	})
	t.Run("another role gets 403, with CORS so the UI can tell", func(t *testing.T) {
		rec := codecRequest(h, "POST", "/api/v1/codec/decode", "larare", uiOrigin, payloadsJSON(t, enc...))
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"))
		require.Equal(t, uiOrigin, rec.Header().Get("Access-Control-Allow-Origin"))
		require.NotContains(t, rec.Body.String(), "Krusbärsdotter")
	})
	t.Run("no token or a bad one gets 401", func(t *testing.T) {
		for _, token := range []string{"", "forged"} {
			rec := codecRequest(h, "POST", "/api/v1/codec/decode", token, uiOrigin, payloadsJSON(t, enc...))
			require.Equal(t, http.StatusUnauthorized, rec.Code)
			require.Equal(t, uiOrigin, rec.Header().Get("Access-Control-Allow-Origin"))
		}
	})
	t.Run("the preflight of the UI's origin is answered without a token", func(t *testing.T) {
		req := httptest.NewRequest("OPTIONS", "/api/v1/codec/decode", nil)
		req.Header.Set("Origin", uiOrigin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,x-namespace")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusNoContent, rec.Code)
		require.Equal(t, uiOrigin, rec.Header().Get("Access-Control-Allow-Origin"))
		require.Equal(t, "POST", rec.Header().Get("Access-Control-Allow-Methods"))
		for _, hdr := range []string{"Authorization", "Content-Type", "X-Namespace"} {
			require.Contains(t, rec.Header().Get("Access-Control-Allow-Headers"), hdr)
		}
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Credentials"))
	})
	t.Run("another origin gets no CORS headers and a refused preflight", func(t *testing.T) {
		rec := codecRequest(h, "OPTIONS", "/api/v1/codec/decode", "", "https://evil.example", "")
		require.Equal(t, http.StatusForbidden, rec.Code)
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
		rec = codecRequest(h, "POST", "/api/v1/codec/decode", "chef", "https://evil.example", payloadsJSON(t, enc...))
		require.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
	})
	t.Run("a tampered payload is 422 naming neither key nor content", func(t *testing.T) {
		bad := &commonpb.Payload{Metadata: enc[0].Metadata, Data: bytes.Clone(enc[0].Data)}
		bad.Data[20] ^= 1
		rec := codecRequest(h, "POST", "/api/v1/codec/decode", "chef", "", payloadsJSON(t, bad))
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		require.NotContains(t, rec.Body.String(), "k1")
		require.NotContains(t, rec.Body.String(), "Krusbärsdotter")
	})
	t.Run("input a client can get wrong is a 4xx problem", func(t *testing.T) {
		for name, tc := range map[string]struct {
			contentType, body string
			want              int
		}{
			"not JSON":                   {"application/json", "{", http.StatusBadRequest},
			"an unknown field":           {"application/json", `{"payload":[]}`, http.StatusBadRequest},
			"data that is not base64":    {"application/json", `{"payloads":[{"data":"%%%"}]}`, http.StatusBadRequest},
			"another content type":       {"text/plain", `{"payloads":[]}`, http.StatusUnsupportedMediaType},
			"a body over the size limit": {"application/json", `{"payloads":[{"data":"` + strings.Repeat("A", maxCodecBodyBytes) + `"}]}`, http.StatusRequestEntityTooLarge},
		} {
			req := httptest.NewRequest("POST", "/api/v1/codec/decode", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			req.Header.Set("Authorization", "Bearer chef")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, tc.want, rec.Code, name)
			require.Equal(t, "application/problem+json", rec.Header().Get("Content-Type"), name)
		}
	})
}

// The probe's attack: a supervisor decoded another municipality's case from its history. A payload
// is decoded only for a caller who may read its case; the rest come back as they were, encrypted, and
// each case asked about has its row in the access log.
func TestCodecDecodesOnlyCasesTheCallerMayRead(t *testing.T) {
	h, c, store := codecTestServer(t)
	sealed := func(state workflows.CaseState, text string) *commonpb.Payload {
		p, err := converter.GetDefaultDataConverter().ToPayload(text)
		require.NoError(t, err)
		enc, err := c.WithSerializationContext(converter.WorkflowSerializationContext{WorkflowID: workflowOf(state)}).Encode([]*commonpb.Payload{p})
		require.NoError(t, err)
		return enc[0]
	}
	own, other := sealed(ownCase, "Ylvalisa i Norrköping"), sealed(otherCase, "Kasper i Eskilstuna")

	rec := codecRequest(h, "POST", "/api/v1/codec/decode", "chef", "", payloadsJSON(t, own, other))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var out commonpb.Payloads
	require.NoError(t, protojson.Unmarshal(rec.Body.Bytes(), &out))
	require.Len(t, out.Payloads, 2)
	require.Contains(t, string(out.Payloads[0].Data), "Ylvalisa", "the supervisor's own case decodes")
	require.Equal(t, codec.EncodingEncrypted, string(out.Payloads[1].Metadata["encoding"]), "another unit's case stays encrypted")
	require.Equal(t, other.Data, out.Payloads[1].Data)
	require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))

	t.Run("each case asked about has its row: allowed or denied", func(t *testing.T) {
		rows, err := store.AccessLog(context.Background(), db.AccessFilter{CaseID: ownCase.CaseID})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		require.Equal(t, "codec_decode", rows[0].Action)
		require.Equal(t, db.OutcomeOf(http.StatusOK), rows[0].Outcome)
		rows, err = store.AccessLog(context.Background(), db.AccessFilter{CaseID: otherCase.CaseID})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		require.Equal(t, db.OutcomeOf(http.StatusForbidden), rows[0].Outcome)
	})
	t.Run("an administrator decodes no case's payload", func(t *testing.T) {
		rec := codecRequest(h, "POST", "/api/v1/codec/decode", "admin", "", payloadsJSON(t, own))
		require.Equal(t, http.StatusOK, rec.Code)
		require.NotContains(t, rec.Body.String(), base64.StdEncoding.EncodeToString([]byte(`"Ylvalisa`)))
	})
	t.Run("a payload relabelled as the supervisor's own case is refused", func(t *testing.T) {
		moved := &commonpb.Payload{Metadata: maps.Clone(other.Metadata), Data: other.Data}
		moved.Metadata[codec.MetadataWorkflowID] = []byte(workflowOf(ownCase))
		rec := codecRequest(h, "POST", "/api/v1/codec/decode", "chef", "", payloadsJSON(t, moved))
		require.Equal(t, http.StatusUnprocessableEntity, rec.Code)
		require.NotContains(t, rec.Body.String(), "Kasper")
	})
}
