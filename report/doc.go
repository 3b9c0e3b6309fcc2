// Package report computes the figures of the yearly follow-up (DOMAIN.md §12) and of the
// supervisors' oversight from the read model's facts of each case. It is pure computation: no I/O
// and no clock – the caller loads the cases and passes the time – and it imports only the standard
// library and casework, so the rules of counting can be tested on their own.
//
// The facts are the workflow's (activities.CaseFacts), read here in their JSON form (Facts): the
// read model stores that JSON, and api, which loads it, may not import activities.
package report
