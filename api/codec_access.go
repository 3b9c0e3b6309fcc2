package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	commonpb "go.temporal.io/api/common/v1"

	"github.com/samverkan/samverkan/api/accesslog"
	"github.com/samverkan/samverkan/api/cases"
	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/casework"
	"github.com/samverkan/samverkan/codec"
	"github.com/samverkan/samverkan/workflows"
)

// Access-log actions of the codec endpoint: the request's own row, one row per case a request's
// payloads named (allowed when they were decoded, denied when they were left encrypted), and the
// request's row again when an administrator decoded payloads that name no case.
const (
	actionCodecDecode            = "codec_decode"
	actionCodecDecodeWithoutCase = "codec_decode_without_case"
)

// codecRefused is an error of the codec itself (an unknown key, a damaged payload): a 422 that
// names no key.
type codecRefused struct{ err error }

func (e *codecRefused) Error() string { return e.err.Error() }

func (s *Server) encodePayloads(_ *gin.Context, in []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out, err := s.Codec.Encode(in)
	if err != nil {
		return nil, &codecRefused{err}
	}
	return out, nil
}

// decodePayloads decodes what the caller may read and leaves the rest as it came, encrypted, so the
// UI shows those payloads as it shows any it cannot decode. The rule (README, "Temporal Web UI"):
//
//   - a payload that names its case (codec.MetadataWorkflowID) is decoded for a caller who may read
//     that case – the rule of reading a case, casework/access.go's reach of the case's live grants –
//     so a supervisor decodes the cases of the units they supervise, not another municipality's,
//     and an administrator none (administrators never read case content);
//   - a payload that names none – written before payloads named their case, or outside any case –
//     is decoded only for an administrator, and the request's access-log row says so.
//
// A case the caller may not read is answered exactly like one that does not exist: left encrypted.
func (s *Server) decodePayloads(c *gin.Context, in []*commonpb.Payload) ([]*commonpb.Payload, error) {
	who := httpkit.Caller(c)
	admin := casework.Role(who.Role) == casework.RoleAdmin
	byWorkflow := map[string][]int{}
	var order []string
	for i, p := range in {
		wf := codec.WorkflowIDOf(p)
		if _, seen := byWorkflow[wf]; !seen {
			order = append(order, wf)
		}
		byWorkflow[wf] = append(byWorkflow[wf], i)
	}
	out := append([]*commonpb.Payload(nil), in...)
	for _, wf := range order {
		allowed := admin && wf == ""
		if wf != "" && !admin {
			var err error
			if allowed, err = s.mayDecodeCase(c, wf); err != nil {
				return nil, err
			}
		}
		if !allowed {
			continue
		}
		if err := s.decodeInto(out, in, byWorkflow[wf]); err != nil {
			return nil, err
		}
		if wf == "" {
			accesslog.Refine(c, "", actionCodecDecodeWithoutCase)
		}
	}
	return out, nil
}

// decodeInto decodes the payloads at idx of in into out.
func (s *Server) decodeInto(out, in []*commonpb.Payload, idx []int) error {
	some := make([]*commonpb.Payload, len(idx))
	for j, i := range idx {
		some[j] = in[i]
	}
	dec, err := s.Codec.Decode(some)
	if err != nil {
		return &codecRefused{err}
	}
	for j, i := range idx {
		out[i] = dec[j]
	}
	return nil
}

// mayDecodeCase says whether the caller may read the case of workflow wf, and writes the access
// log's row for that case: allowed or denied. A workflow ID that names no case, or a case that does
// not exist, is denied without a row for a case (the request's own row holds the attempt).
func (s *Server) mayDecodeCase(c *gin.Context, wf string) (bool, error) {
	pseudonym, ok := strings.CutPrefix(wf, "case-")
	if !ok || workflows.CaseWorkflowID(pseudonym) != wf || !validPseudonym(pseudonym) {
		return false, nil
	}
	state, err := cases.LiveState(c, s.Temporal, wf)
	if errors.Is(err, httpkit.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	allowed := cases.AccessTo(state, httpkit.Caller(c)) == cases.FullAccess
	status := http.StatusOK
	if !allowed {
		status = http.StatusForbidden
	}
	if err := s.auditLog().RecordCase(c, state.CaseID, actionCodecDecode, status); err != nil {
		return false, err
	}
	return allowed, nil
}

// validPseudonym: a child's pseudonym is 26 lower-case base32 letters (casework.ChildPseudonym).
func validPseudonym(p string) bool {
	_, ok := casework.CasePseudonym(p + "-a")
	return ok
}
