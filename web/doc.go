// Package web is the caseworkers' front end: pages rendered on the server with html/template, in
// Swedish, that work without JavaScript (a few lines of script only where they help), served by the
// same binary as the API.
//
// It is a client of the public REST API and of nothing else (docs/architecture.md §2): it never imports api,
// workflows, activities or db. Every page asks /api/v1 through Client with the logged-in user's own
// token, so need-to-know, consent, validation and the access log stay the API's, decided once; a
// 404 from the API is a 404 page here, and a 400's fields are shown at the form's fields.
//
// Login is OpenID Connect's authorization code flow with PKCE against the configured issuer (in
// `samverkan dev` its built-in one, whose authorize page picks a demo user). The tokens stay on the
// server: the browser holds only an opaque session ID in an HttpOnly cookie, and the session – kept
// in a SessionStore so that it survives a restart – is encrypted with a key derived from that ID,
// so the store never holds a usable token. Every form carries the session's CSRF token and, where
// it posts a command, an Idempotency-Key of its own (form.go); README.md says how to add a form.
package web
