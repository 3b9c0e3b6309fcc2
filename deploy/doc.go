// Package deploy is the room for running samverkan in containers: the image (Dockerfile), the
// production-shaped compose file with its PostgreSQL and Temporal helper scripts, and the operator's
// README. It has no code of its own; its tests keep those files in step with the binary, above all
// that every SAMVERKAN_ variable the compose file sets is one that config.Settings lists, so a
// misspelt or retired setting fails CI instead of being silently ignored in production.
package deploy
