#!/usr/bin/env bash
# Fuzzes gazetop serve's HTTP API from its own OpenAPI document: schemathesis (from .build/fuzz-venv, made by
# `make fuzz-venv`) generates JSON and multipart inputs, valid and not, for every documented operation of a
# server started here on a free loopback port, and fails on any 5xx, any answer whose status, content type
# or body the document does not describe, and any invalid input the server accepts. The server must also
# stop cleanly (exit 0), have logged no unexpected error and left nothing in its temporary folder.
# The stateful phase follows the document's links: a session initiated, then submitted with generated
# videos (so FFmpeg meets junk). A bounded number of examples per operation keeps the run short.
# usage: fuzz-api.sh GAZETOP VENV [EXAMPLES]
set -euo pipefail
gazetop=$1
venv=$2
examples=${3:-${FUZZ_EXAMPLES:-25}}
work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then kill "$server"; wait "$server" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/tmp"

# --port 0: the system picks a free port, which the server announces once its model is loaded.
TMPDIR=$work/tmp "$gazetop" serve --port 0 --workers 1 --max-video-mb 5 2>"$work/serve.log" &
server=$!
port=
for _ in $(seq 1 3000); do
  port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/serve.log")
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || { echo "fuzz-api: gazetop serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.05
done
[ -n "$port" ] || { echo "fuzz-api: gazetop serve announced no port" >&2; exit 1; }

# Checks: the server's own faults. Left out: positive_data_acceptance (a well-formed submission of a session
# never issued is rightly a 404), unsupported_method and allow_header_conformance (a wrong method is answered
# 404 as an unknown route, not 405), use_after_free and the auth checks (no resource deletion, no token here).
# Run from the work folder, where schemathesis leaves its cache (.schemathesis), removed with it. The stateful
# phase runs on its own without negative_data_rejection: there schemathesis calls a submission of an
# initiated session with a generated file that FFmpeg reads (a one-frame WebP, say) an invalid input
# accepted, though the recording is rightly scored (inconclusive).
status=0
venv=$(cd "$venv" && pwd)
conformance=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
fuzz() {
  (cd "$work" && "$venv/bin/schemathesis" run "http://127.0.0.1:$port/openapi.json" "$@" \
    --max-examples "$examples" --workers 1 --request-timeout 120 --generation-database none \
    --no-color --output-truncate true) || status=$?
}
fuzz --phases examples,coverage,fuzzing --checks "$conformance,negative_data_rejection"
fuzz --phases stateful --checks "$conformance"

kill -TERM "$server"
wait "$server" && stopped=0 || stopped=$?
server=
if [ "$stopped" != 0 ]; then echo "fuzz-api: gazetop serve exited $stopped on SIGTERM" >&2; status=1; fi
if grep -q "unexpected error" "$work/serve.log"; then
  echo "fuzz-api: the server logged unexpected errors:" >&2; grep "unexpected error" "$work/serve.log" >&2; status=1
fi
if [ -n "$(ls -A "$work/tmp")" ]; then echo "fuzz-api: files left in the temporary folder: $(ls "$work/tmp")" >&2; status=1; fi
echo "fuzz-api: $(grep -c '" [0-9][0-9][0-9] ' "$work/serve.log") requests; 5xx answers: $(grep -c '" 5[0-9][0-9] ' "$work/serve.log" || true)"
exit $status
