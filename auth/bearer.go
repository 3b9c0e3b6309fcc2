package auth

import "strings"

// BearerToken extracts the token from an Authorization header value such as "Bearer eyJ…".
// The scheme is case-insensitive (RFC 9110 §11.1); surrounding spaces are ignored. It reports
// false for any other scheme, an empty token, or a value with more than one token in it.
func BearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	if token == "" || strings.ContainsAny(token, " \t") {
		return "", false
	}
	return token, true
}
