// Package architecture holds no code, only the test that keeps docs/architecture.md §2's rooms and doors: which
// package may import which. A forbidden import fails the build's tests, not a review.
package architecture
