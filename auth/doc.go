// Package auth is the door check of samverkan's API: it says who acts. Every /api/v1 request
// carries a bearer JWT naming the user, their role and their unit; this package verifies such
// tokens (signature, issuer, audience, lifetime, required claims) against keys from a JWKS, and
// holds the small built-in issuer that `samverkan dev` uses to mint demo tokens.
//
// It decides nothing about what a role may do – the api package does that – and imports only the
// standard library and github.com/golang-jwt/jwt/v5, so it stays usable from any binary.
package auth
