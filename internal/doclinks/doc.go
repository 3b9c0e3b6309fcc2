// Package doclinks holds no code, only the test that keeps the repository's documentation whole on
// its own: every relative link of the README, docs/ and deploy/README.md names a file of this
// repository, and every anchor a heading that is there. A clone with nothing beside it must be
// readable end to end.
package doclinks
