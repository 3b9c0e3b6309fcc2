package cases

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/samverkan/samverkan/api/httpkit"
	"github.com/samverkan/samverkan/workflows"
)

// The Idempotency-Key (README, "Idempotency"; the IETF httpapi idempotency-key draft): a POST or
// PUT may carry one, and a retry with the same key and the same request gets the first request's
// outcome – Temporal deduplicates updates by their ID, which the key becomes. The same key with
// another request is a client's mistake that must not pass in silence (a harm report sent
// "reported": false and then, under the same key, true would answer 200 with the first): 422
// naming Idempotency-Key. So the API keeps, per key, a hash of the request it first came with
// (db.ClaimIdempotencyKey).
//
// A key never reaches Temporal as the client wrote it: it is hashed with the pseudonym key, like a
// child's identity, together with the user, the command and the case, so that a key holding a
// personal number leaves nothing readable in Temporal's database, and two users who happen to pick
// the same key do not get each other's outcome. The workflow needs no change for this: it sees
// update IDs only as opaque strings (RecentCommandIDs), so no workflow.GetVersion guard applies; a
// retry that spans the deploy of this change is applied a second time, as one without a key would be.

const maxIdempotencyKey = 100

// idempotentKey is a request's claim of its Idempotency-Key: the ID it goes to the workflow under,
// "" without a key.
type idempotentKey struct {
	id, request string
}

// release gives the key back after the workflow refused the request: nothing was applied, and the
// client may send a corrected request under the same key. Other failures keep it: the outcome may
// not be known, and a retry must reach the same update.
func (s *Handlers) release(c *gin.Context, k idempotentKey, sendErr error) {
	if k.id == "" {
		return
	}
	if _, _, refused := workflows.RefusalOf(sendErr); !refused {
		return
	}
	if err := s.DB.ReleaseIdempotencyKey(context.WithoutCancel(c.Request.Context()), k.id, k.request); err != nil {
		httpkit.Logger(c).Warn("idempotency key not released", "error", err)
	}
}

// idempotentID is the ID a keyed request goes to the workflow under – "" when the request has no
// key – after checking that the key was not used before with another request. scope names what the
// key applies to (the update and the case's workflow); request is the decoded body.
func (s *Handlers) idempotentID(c *gin.Context, scope string, request any) (idempotentKey, error) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		return idempotentKey{}, nil
	}
	if len(key) > maxIdempotencyKey {
		return idempotentKey{}, httpkit.FieldProblem("Idempotency-Key", fmt.Sprintf("får vara högst %d tecken", maxIdempotencyKey))
	}
	body, err := json.Marshal(request)
	if err != nil {
		return idempotentKey{}, fmt.Errorf("hash request: %w", err)
	}
	sum := sha256.Sum256(append([]byte(scope+"\x00"), body...))
	id := s.keyHash(httpkit.Caller(c).User, scope, key)
	k := idempotentKey{id: id, request: hex.EncodeToString(sum[:])}
	same, err := s.DB.ClaimIdempotencyKey(c.Request.Context(), k.id, k.request, s.Now())
	if err != nil {
		return idempotentKey{}, err
	}
	if !same {
		return idempotentKey{}, httpkit.StatusField(http.StatusUnprocessableEntity, "Idempotency-Key",
			"nyckeln har redan använts för en annan begäran: skicka en ny nyckel för en ny begäran")
	}
	return k, nil
}

// keyHash is the keyed hash of an Idempotency-Key: 130 bits in 26 lower-case base32 letters, the
// form of the child's pseudonym.
func (s *Handlers) keyHash(user, scope, key string) string {
	mac := hmac.New(sha256.New, s.PseudonymKey)
	mac.Write([]byte("samverkan/idempotency-key/v1\x00" + user + "\x00" + scope + "\x00" + key))
	sum := mac.Sum(nil)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:17]))[:26]
}
