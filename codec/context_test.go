package codec

import (
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

// The codec records the case a payload belongs to – its workflow ID, a pseudonym – so that the codec
// endpoint can decode it only for those who may read that case (api/codec.go).
func TestCodecRecordsTheWorkflow(t *testing.T) {
	k1 := testKey(t, "k1")
	c := testCodec(t, k1)
	const wf = "case-abcdefghijklmnopqrstuvwxyz"

	t.Run("a payload encoded in a workflow's context names the workflow and decodes", func(t *testing.T) {
		wc := c.WithSerializationContext(converter.WorkflowSerializationContext{Namespace: "default", WorkflowID: wf})
		enc, err := wc.Encode(jsonPayloads(t, secretText))
		if err != nil {
			t.Fatal(err)
		}
		if got := WorkflowIDOf(enc[0]); got != wf {
			t.Fatalf("workflow ID %q, want %q", got, wf)
		}
		dec, err := c.Decode(enc)
		if err != nil || !strings.Contains(string(dec[0].Data), "Ylvalisa") {
			t.Fatalf("decode without context: %v", err)
		}
	})
	t.Run("an activity's payload names its workflow", func(t *testing.T) {
		ac := c.WithSerializationContext(converter.ActivitySerializationContext{WorkflowID: wf, ActivityType: "RouteConcern"})
		enc, err := ac.Encode(jsonPayloads(t, secretText))
		if err != nil {
			t.Fatal(err)
		}
		if got := WorkflowIDOf(enc[0]); got != wf {
			t.Fatalf("workflow ID %q, want %q", got, wf)
		}
	})
	t.Run("the data converter passes the context on to the codec", func(t *testing.T) {
		dc := converter.WithDataConverterSerializationContext(DataConverter(c), converter.WorkflowSerializationContext{WorkflowID: wf})
		p, err := dc.ToPayload(secretText)
		if err != nil {
			t.Fatal(err)
		}
		if got := WorkflowIDOf(p); got != wf {
			t.Fatalf("workflow ID %q, want %q", got, wf)
		}
	})
	t.Run("a payload moved to another case by editing its metadata does not decrypt", func(t *testing.T) {
		wc := c.WithSerializationContext(converter.WorkflowSerializationContext{WorkflowID: wf})
		enc, _ := wc.Encode(jsonPayloads(t, secretText))
		enc[0].Metadata[MetadataWorkflowID] = []byte("case-zzzzzzzzzzzzzzzzzzzzzzzzzz")
		if _, err := c.Decode(enc); err == nil {
			t.Fatal("a payload relabelled to another case decrypted")
		}
		delete(enc[0].Metadata, MetadataWorkflowID)
		if _, err := c.Decode(enc); err == nil {
			t.Fatal("a payload stripped of its case decrypted")
		}
	})
	t.Run("without a workflow the payload names none, as before", func(t *testing.T) {
		enc, _ := c.Encode(jsonPayloads(t, secretText))
		if got := WorkflowIDOf(enc[0]); got != "" {
			t.Fatalf("workflow ID %q, want none", got)
		}
	})
	t.Run("an unknown key's error names no key the keyring holds", func(t *testing.T) {
		enc, _ := testCodec(t, testKey(t, "k0")).Encode(jsonPayloads(t, secretText))
		_, err := testCodec(t, testKey(t, "geheim-2"), k1).Decode(enc)
		if err == nil || strings.Contains(err.Error(), "geheim-2") || strings.Contains(err.Error(), `"k1"`) {
			t.Fatalf("error %v names the keyring's keys", err)
		}
	})
}

func jsonPayloads(t *testing.T, v any) []*commonpb.Payload {
	return []*commonpb.Payload{jsonPayload(t, v)}
}
