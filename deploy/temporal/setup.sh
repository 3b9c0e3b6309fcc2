#!/bin/sh
# One-shot (service temporal-setup): the namespace samverkan runs in and the custom search
# attributes the case workflow keeps up to date (workflows/contract.go). Safe on every start: an
# existing namespace is left as it is, and the server skips a search attribute that already exists.
#
# TEMPORAL_ADDRESS (and TEMPORAL_TLS_* for a cluster with mTLS) are read by the temporal CLI itself.
set -eu

namespace=${TEMPORAL_NAMESPACE:-default}
# How long a closed case's history stays readable, as in `samverkan dev`. The case workflow archives
# its file before it completes, so any retention deletes only archived histories (README.md, "The
# archive, retention and erasure"); keep it long enough to run `samverkan archive` after an upgrade.
retention=${TEMPORAL_RETENTION:-720h}

# retry CMD...: the frontend's port opens before every service behind it is ready, and a new
# namespace takes a moment to reach every frontend.
retry() {
	n=1
	until "$@"; do
		if [ "$n" -ge 30 ]; then
			echo "temporal-setup: gave up after $n tries: $*" >&2
			return 1
		fi
		n=$((n + 1))
		sleep 2
	done
}

ensure_namespace() {
	temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1 ||
		temporal operator namespace create --namespace "$namespace" --retention "$retention"
}

retry temporal operator cluster health
retry ensure_namespace
for attr in \
	SamverkanPhase:Keyword \
	SamverkanMunicipality:Keyword \
	SamverkanNamedPersonUnit:Keyword \
	SamverkanNextDeadline:Datetime \
	SamverkanOverdue:Bool \
	SamverkanPhaseSince:Datetime; do
	retry temporal operator search-attribute create --namespace "$namespace" \
		--name "${attr%%:*}" --type "${attr#*:}"
done
temporal operator search-attribute list --namespace "$namespace"
echo "temporal-setup: done"
