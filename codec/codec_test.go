package codec

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

func testKey(t testing.TB, id string) Key {
	t.Helper()
	secret := make([]byte, KeySize)
	if _, err := rand.Read(secret); err != nil {
		t.Fatal(err)
	}
	return Key{ID: id, Secret: secret}
}

func testCodec(t testing.TB, keys ...Key) *Codec {
	t.Helper()
	ring, err := NewKeyring(keys...)
	if err != nil {
		t.Fatal(err)
	}
	return New(ring)
}

// jsonPayload is a payload as the SDK's JSON converter makes it.
func jsonPayload(t testing.TB, v any) *commonpb.Payload {
	t.Helper()
	p, err := converter.GetDefaultDataConverter().ToPayload(v)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

const secretText = "Ylvalisa Krusbärsdotter 20120315-9817"

func encodeOne(t *testing.T, c *Codec, p *commonpb.Payload) *commonpb.Payload {
	t.Helper()
	out, err := c.Encode([]*commonpb.Payload{p})
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

func decodeOne(c *Codec, p *commonpb.Payload) (*commonpb.Payload, error) {
	out, err := c.Decode([]*commonpb.Payload{p})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

func samePayload(a, b *commonpb.Payload) bool {
	if !bytes.Equal(a.GetData(), b.GetData()) || len(a.GetMetadata()) != len(b.GetMetadata()) {
		return false
	}
	for k, v := range a.GetMetadata() {
		if !bytes.Equal(v, b.GetMetadata()[k]) {
			return false
		}
	}
	return true
}

func TestCodec(t *testing.T) {
	k1, k2 := testKey(t, "k1"), testKey(t, "k2")

	t.Run("a payload survives the round trip and is unreadable in between", func(t *testing.T) {
		c := testCodec(t, k1)
		plain := jsonPayload(t, map[string]string{"name": secretText})
		enc := encodeOne(t, c, plain)
		if bytes.Contains(enc.GetData(), []byte("Krusbärsdotter")) || bytes.Contains(enc.GetData(), []byte("9817")) {
			t.Fatal("the encrypted payload holds the plain text")
		}
		if string(enc.Metadata[converter.MetadataEncoding]) != EncodingEncrypted || string(enc.Metadata[MetadataKeyID]) != "k1" {
			t.Fatalf("metadata %q", enc.Metadata)
		}
		if len(enc.Metadata) != 2 {
			t.Fatalf("the original metadata leaks: %q", enc.Metadata)
		}
		dec, err := decodeOne(c, enc)
		if err != nil {
			t.Fatal(err)
		}
		if !samePayload(plain, dec) {
			t.Fatalf("round trip changed the payload: %v → %v", plain, dec)
		}
	})

	t.Run("the data converter with the codec gives back the value", func(t *testing.T) {
		dc := DataConverter(testCodec(t, k1))
		p, err := dc.ToPayload(map[string]string{"name": secretText})
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]string
		if err := dc.FromPayload(p, &got); err != nil || got["name"] != secretText {
			t.Fatalf("got %q, %v", got, err)
		}
	})

	t.Run("a flipped byte anywhere in the ciphertext is detected", func(t *testing.T) {
		c := testCodec(t, k1)
		enc := encodeOne(t, c, jsonPayload(t, secretText))
		for _, i := range []int{0, 11, 12, len(enc.Data) / 2, len(enc.Data) - 1} {
			tampered := &commonpb.Payload{Metadata: enc.Metadata, Data: bytes.Clone(enc.Data)}
			tampered.Data[i] ^= 0x01
			if _, err := decodeOne(c, tampered); err == nil || !strings.Contains(err.Error(), "tampered") {
				t.Errorf("byte %d flipped: error %v", i, err)
			}
		}
	})

	t.Run("a payload whose key ID was changed does not decrypt", func(t *testing.T) {
		c := testCodec(t, k1, Key{ID: "k1b", Secret: k1.Secret})
		enc := encodeOne(t, c, jsonPayload(t, secretText))
		enc.Metadata[MetadataKeyID] = []byte("k1b")
		if _, err := decodeOne(c, enc); err == nil {
			t.Fatal("decrypted under another key ID")
		}
	})

	t.Run("after rotation old and new payloads both decode", func(t *testing.T) {
		before := testCodec(t, k1)
		old := encodeOne(t, before, jsonPayload(t, "written under k1"))
		after := testCodec(t, k2, k1)
		fresh := encodeOne(t, after, jsonPayload(t, "written under k2"))
		if id := string(fresh.Metadata[MetadataKeyID]); id != "k2" {
			t.Fatalf("new payloads use key %q, want the active k2", id)
		}
		for _, p := range []*commonpb.Payload{old, fresh} {
			if _, err := decodeOne(after, p); err != nil {
				t.Errorf("key %s: %v", p.Metadata[MetadataKeyID], err)
			}
		}
	})

	t.Run("a payload written before the codec passes through", func(t *testing.T) {
		c := testCodec(t, k1)
		legacy := jsonPayload(t, map[string]string{"name": "written in clear"})
		nilPayload := jsonPayload(t, nil)
		out, err := c.Decode([]*commonpb.Payload{legacy, nilPayload})
		if err != nil {
			t.Fatal(err)
		}
		if out[0] != legacy || out[1] != nilPayload {
			t.Fatal("a plain payload was changed")
		}
	})

	t.Run("a payload under an unknown key is an error naming the key", func(t *testing.T) {
		enc := encodeOne(t, testCodec(t, testKey(t, "k0")), jsonPayload(t, secretText))
		_, err := decodeOne(testCodec(t, k2, k1), enc)
		if err == nil || !strings.Contains(err.Error(), `"k0"`) {
			t.Fatalf("error %v does not name k0", err)
		}
	})

	t.Run("an encrypted payload without a key ID is an error", func(t *testing.T) {
		enc := encodeOne(t, testCodec(t, k1), jsonPayload(t, secretText))
		delete(enc.Metadata, MetadataKeyID)
		if _, err := decodeOne(testCodec(t, k1), enc); err == nil {
			t.Fatal("decoded")
		}
	})

	t.Run("every payload gets its own nonce", func(t *testing.T) {
		c := testCodec(t, k1)
		same := jsonPayload(t, secretText)
		seen := map[string]bool{}
		for range 1000 {
			enc := encodeOne(t, c, same)
			nonce := string(enc.Data[:12])
			if seen[nonce] {
				t.Fatal("a nonce was used twice")
			}
			seen[nonce] = true
		}
	})

	t.Run("the input payloads are not changed", func(t *testing.T) {
		c := testCodec(t, k1)
		plain := jsonPayload(t, secretText)
		keep := &commonpb.Payload{Metadata: map[string][]byte{}, Data: bytes.Clone(plain.Data)}
		for k, v := range plain.Metadata {
			keep.Metadata[k] = bytes.Clone(v)
		}
		enc := encodeOne(t, c, plain)
		encData := bytes.Clone(enc.Data)
		if _, err := decodeOne(c, enc); err != nil {
			t.Fatal(err)
		}
		if !samePayload(plain, keep) || !bytes.Equal(enc.Data, encData) {
			t.Fatal("a parameter was mutated")
		}
	})
}

func TestNewKeyring(t *testing.T) {
	good := testKey(t, "2026-01")
	bad := []struct {
		name string
		keys []Key
		want string
	}{
		{"no key at all", nil, "no key"},
		{"a short key", []Key{{ID: "k", Secret: make([]byte, 16)}}, "16 bytes"},
		{"an ID given twice", []Key{good, good}, "twice"},
		{"an empty ID", []Key{{ID: "", Secret: good.Secret}}, "empty"},
		{"an ID with a separator", []Key{{ID: "a:b", Secret: good.Secret}}, "letters, digits"},
	}
	for _, tc := range bad {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			_, err := NewKeyring(tc.keys...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
	t.Run("the first key is active", func(t *testing.T) {
		r, err := NewKeyring(good, testKey(t, "2025-01"))
		if err != nil || r.ActiveKeyID() != "2026-01" || strings.Join(r.KeyIDs(), ",") != "2026-01,2025-01" {
			t.Fatalf("got %v, %v", r, err)
		}
	})
}

func benchPayload(b *testing.B) *commonpb.Payload {
	data := make([]byte, 4<<10)
	if _, err := rand.Read(data); err != nil {
		b.Fatal(err)
	}
	return &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte("json/plain")}, Data: data}
}

func BenchmarkEncode4KiB(b *testing.B) {
	c := testCodec(b, testKey(b, "k1"))
	in := []*commonpb.Payload{benchPayload(b)}
	b.SetBytes(4 << 10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Encode(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode4KiB(b *testing.B) {
	c := testCodec(b, testKey(b, "k1"))
	in, err := c.Encode([]*commonpb.Payload{benchPayload(b)})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(4 << 10)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Decode(in); err != nil {
			b.Fatal(err)
		}
	}
}
