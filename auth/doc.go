// Package auth is the door check of samverkan's API: it says who acts. Every /api/v1 request
// carries a bearer JWT naming the user, their role and their unit; this package verifies such
// tokens (signature, issuer, audience, lifetime, required claims) against the identity provider's
// keys, and holds the small built-in issuer that `samverkan dev` uses to mint demo tokens.
//
// The cryptography and the JOSE formats are maintained libraries' work, not ours:
// github.com/coreos/go-oidc/v3 verifies tokens (its IDTokenVerifier, RemoteKeySet and
// StaticKeySet) and github.com/go-jose/go-jose/v4 signs the dev issuer's tokens, parses and
// publishes JSON Web Keys. What this package adds is policy: which algorithms and keys are trusted,
// the claims samverkan needs, bounds on token size and on fetching keys, and errors that say
// whether the caller or the identity provider is at fault.
//
// It decides nothing about what a role may do – the api package does that – and imports only the
// standard library and those two libraries, so it stays usable from any binary.
package auth
