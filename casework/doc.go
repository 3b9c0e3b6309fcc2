// Package casework holds the rules of the inter-agency casework that need no I/O: the Swedish
// working-day calendar, regional policies and their deadlines, who is a child's named person
// (docs/process.md §3), the wellbeing wheel, personal identity numbers and the value types the other
// packages share. Workflows call it, so everything here is deterministic: no clock, no randomness,
// no environment. It imports only the standard library and the holiday tables it is built on.
package casework
