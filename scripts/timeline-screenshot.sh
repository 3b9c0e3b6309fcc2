#!/usr/bin/env bash
# Makes docs/timeline.png, the screenshot of a case timeline's printable page in the README: builds
# samverkan, runs `samverkan dev` in a fresh temporary data folder on ports of its own, walks a
# synthetic case (docs/process.md §13's Melwin, invented) through the API with curl, saves its timeline
# page (GET /api/v1/cases/{caseId}/timeline?format=html) and screenshots the saved file with headless
# Chromium. Needs curl and chromium (Debian: apt-get install -y chromium); CHROMIUM names another.
#
#   scripts/timeline-screenshot.sh [OUTPUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/timeline.png}
case $out in /*) ;; *) out="$PWD/$out" ;; esac
chromium=${CHROMIUM:-chromium}
command -v "$chromium" >/dev/null || { echo "no $chromium: apt-get install -y chromium, or set CHROMIUM" >&2; exit 1; }
command -v curl >/dev/null || { echo "no curl" >&2; exit 1; }

work=$(mktemp -d)
export CGO_ENABLED=0 TZ=Europe/Stockholm
go build -o "$work/samverkan" ./cmd/samverkan

base=${TIMELINE_PORT_BASE:-18400}
export SAMVERKAN_DATA_DIR="$work/data" SAMVERKAN_HTTP_ADDR="127.0.0.1:$base" SAMVERKAN_DEV_TEMPORAL_PORT=$((base + 1)) \
  SAMVERKAN_DEV_UI_PORT=0 SAMVERKAN_DEV_MAIL_PORT=$((base + 2)) SAMVERKAN_DEV_MAIL_UI_PORT=0 SAMVERKAN_LOG_LEVEL=warn
api="http://127.0.0.1:$base/api/v1"
"$work/samverkan" dev >"$work/dev.log" 2>&1 &
dev=$!
trap 'kill "$dev" 2>/dev/null; wait "$dev" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 180); do
  curl -fsS "http://127.0.0.1:$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$dev" 2>/dev/null || { cat "$work/dev.log" >&2; exit 1; }
  sleep 0.5
done

token() { "$work/samverkan" token --user "$1" ${2:+--unit "$2"}; }
anna=$(token anna.larare) bertil=$(token bertil.rektor) nora=$(token nora.elevhalsa norrkoping-elevhalsa)

# at DAYS HH:MM: a business time DAYS days from today, Swedish time.
at() { date -d "$1 days $2" +%Y-%m-%dT%H:%M:%S%:z; }
# send TOKEN METHOD PATH BODY: one request; stops the script on anything but 2xx.
send() {
  curl -fsS -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$4" "$api$3" || {
    echo "$2 $3 failed" >&2
    exit 1
  }
}

# A personal number for an invented 14-year-old: his birth date, serial 983 and the check digit.
birth=$(date -d "14 years ago 100 days ago" +%Y%m%d)
ten="${birth:2}983" sum=0
for ((i = 0; i < 10; i++)); do
  d=${ten:i:1}
  if ((i % 2 == 0)); then d=$((d * 2)); ((d > 9)) && d=$((d - 9)); fi
  sum=$((sum + d))
done
pnr="$birth-983$(((10 - sum % 10) % 10))"
child="{\"personalNumber\":\"$pnr\",\"name\":\"Melwin Påhittad\",\"birthDate\":\"${birth:0:4}-${birth:4:2}-${birth:6:2}\",
  \"municipality\":\"norrkoping\",\"schooling\":{\"status\":\"school\",\"unitId\":\"norrkoping-skola-1\",\"grade\":\"7\"}}"

case=$(send "$anna" POST /concerns "{\"child\":$child,\"areas\":[\"lärande\",\"hälsa\",\"relationer\",\"hemmet\"],
  \"observation\":\"Nästan ingen närvaro på ett år. Blir aggressiv när han pressas, isolerar sig från kamraterna.\",
  \"suspectsHarm\":false,\"occurredAt\":\"$(at -2 09:00)\"}" | sed -n 's/.*"caseId":"\([^"]*\)".*/\1/p')
c="/cases/$case"
scope='["norrkoping-bup","norrkoping-socialtjanst","norrkoping-elevhalsa"]'
{
  send "$bertil" POST "$c/acknowledgement" "{\"occurredAt\":\"$(at -2 10:00)\"}"
  send "$bertil" PUT "$c/assessment" "{\"occurredAt\":\"$(at -2 11:00)\",
    \"areas\":[{\"area\":\"lärande\",\"observation\":\"Närvaro under 10 % sedan ett år.\",\"level\":\"hög\"},
      {\"area\":\"hälsa\",\"observation\":\"Sover dåligt, ont i magen på morgnarna.\",\"level\":\"måttlig\"},
      {\"area\":\"relationer\",\"observation\":\"Isolerar sig.\",\"level\":\"hög\"}],
    \"childView\":{\"view\":\"Melwin säger att skolan känns för stor och att han inte vet hur han ska komma tillbaka.\"},
    \"fiveQuestions\":{\"haveAllInformation\":\"Nej.\",\"obstacles\":\"Lång frånvaro, ångest inför skolan.\",
      \"whatICanDo\":\"Anpassad studiegång.\",\"whatOrgCanDo\":\"Elevhälsan följer upp.\",\"helpNeeded\":\"BUP och socialtjänsten.\"}}"
  send "$bertil" POST "$c/assessment/completion" "{\"occurredAt\":\"$(at -2 13:00)\",\"outcome\":\"collaboration\",
    \"proposedAgencies\":$scope,\"relevantAreas\":[\"lärande\",\"hälsa\",\"relationer\",\"hemmet\"]}"
  send "$bertil" POST "$c/consents" "{\"occurredAt\":\"$(at -2 14:00)\",\"party\":\"guardian\",\"partyName\":\"Eva Påhittad\",
    \"custody\":\"joint\",\"given\":true,\"scope\":$scope,\"method\":\"written\"}"
  send "$bertil" POST "$c/consents" "{\"occurredAt\":\"$(at -2 14:10)\",\"party\":\"guardian\",\"partyName\":\"Karl Påhittad\",
    \"given\":true,\"scope\":$scope,\"method\":\"written\"}"
  send "$bertil" POST "$c/consents" "{\"occurredAt\":\"$(at -2 15:00)\",\"party\":\"child\",\"given\":true,\"scope\":$scope,\"method\":\"oral\"}"
  send "$bertil" POST "$c/summons" "{\"occurredAt\":\"$(at -2 16:00)\",\"meetingAt\":\"$(at -1 13:00)\",
    \"place\":\"Lärkängsskolan, konferensrummet\",\"agencies\":$scope,\"inviteChild\":true,\"inviteGuardians\":true}"
  send "$bertil" POST "$c/meeting" "{\"occurredAt\":\"$(at -1 13:00)\",
    \"attendance\":[{\"participant\":\"norrkoping-bup\",\"present\":true},{\"participant\":\"norrkoping-socialtjanst\",\"present\":true},
      {\"participant\":\"norrkoping-elevhalsa\",\"present\":true},{\"participant\":\"child\",\"present\":true},{\"participant\":\"guardians\",\"present\":true}],
    \"commonPicture\":\"Melwin vill tillbaka till skolan men orkar inte; familjen behöver stöd.\",
    \"decisions\":[{\"unitId\":\"norrkoping-bup\",\"decision\":\"Bedömningssamtal inom tre veckor.\"},
      {\"unitId\":\"norrkoping-socialtjanst\",\"decision\":\"Erbjuder familjebehandling.\"},
      {\"unitId\":\"norrkoping-elevhalsa\",\"noFurtherAction\":true,\"reason\":\"Utredningen är klar och remissen till BUP skickad.\"}]}"
  send "$bertil" POST "$c/coordinator" "{\"occurredAt\":\"$(at -1 14:00)\",
    \"childWish\":{\"user\":\"cecilia.socialsekreterare\"},\"coordinator\":{\"user\":\"cecilia.socialsekreterare\"}}"
  # The school nurse's concern, seen the first day, entered last: the timeline puts it where it happened.
  send "$nora" POST /concerns "{\"child\":$child,\"areas\":[\"hälsa\"],
    \"observation\":\"Melwin har sökt skolsköterskan för magont flera morgnar i rad.\",\"suspectsHarm\":false,\"occurredAt\":\"$(at -2 12:00)\"}"
} >/dev/null

# The named person is told of the new concern by the Notify activity; wait until that is in the history.
for _ in $(seq 1 60); do
  curl -fsS -H "Authorization: Bearer $bertil" "$api$c/timeline" | grep -q notification_sent && break
  sleep 0.5
done
curl -fsS -H "Authorization: Bearer $bertil" "$api$c/timeline?format=html" -o "$work/timeline.html"

mkdir -p "$(dirname "$out")"
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/chromium" --hide-scrollbars \
  --screenshot="$out" --window-size=1200,1600 "file://$work/timeline.html" 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2
  exit 1
}
echo "wrote $out (case $case)"
