package auth

// Kind tells a caller what to do about a rejected token. The api maps each kind to exactly one
// HTTP status; the Reason is for logs only and never contains the token.
type Kind int

const (
	// KindInvalid: the token is missing, malformed, forged, or not meant for this API (401).
	KindInvalid Kind = iota + 1
	// KindExpired: an otherwise good token whose lifetime has passed; the client should get a
	// new one (401 with error_description "token expired").
	KindExpired
	// KindUnavailable: the server cannot check tokens right now – the identity provider's keys
	// could not be fetched, or the verifier is not configured. Not the caller's fault (503).
	KindUnavailable
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindExpired:
		return "expired"
	case KindUnavailable:
		return "unavailable"
	}
	return "unknown"
}

// Error is the only error Verify returns.
type Error struct {
	Kind   Kind
	Reason string // lowercase, safe to log, never the token
	Err    error  // the underlying cause, if any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return "auth: " + e.Reason + ": " + e.Err.Error()
	}
	return "auth: " + e.Reason
}

func (e *Error) Unwrap() error { return e.Err }

func invalid(reason string, err error) *Error {
	return &Error{Kind: KindInvalid, Reason: reason, Err: err}
}
