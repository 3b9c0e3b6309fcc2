// Package report computes the figures of the yearly follow-up (docs/process.md §12) and of the
// supervisors' oversight from the read model's facts of each case. It is pure computation: no I/O
// and no clock – the caller loads the cases and passes the time – and it imports only the standard
// library and casework, so the rules of counting can be tested on their own.
//
// The facts (Facts) are defined here, the package that counts them: the workflow computes them and
// hands them to the read model through the ProjectCase activity, which stores their JSON; the api
// loads it and passes it in.
package report
