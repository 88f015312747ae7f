#!/usr/bin/env bash
# Runs a command beside a PostgreSQL server of its own, for the tests of `serve --store`:
#   scripts/with-postgres.sh swift test -c release --filter PostgresSessionStoreTests
# The server (Debian's postgresql package, which scripts/install-deps.sh installs) gets a new cluster in a
# temporary folder, listens on a free loopback port (and a socket in that folder), and takes a password
# login for the user gazetop; the command gets its URL in GAZETOP_TEST_POSTGRES_URL. Whatever happens
# (the command fails, Ctrl-C, SIGTERM), the server is stopped and the folder removed, and the command's exit
# status is this script's. PostgreSQL refuses to run as root: as root (CI may be), the server runs as
# nobody, in a folder nobody owns. Where no server is installed, the command runs without the URL and the
# tests that need it say they were skipped; a server that is installed but does not start is an error.
set -uo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "with-postgres: no PostgreSQL server installed (Debian's postgresql package); its tests are skipped" >&2
  exec "$@"
fi

as_server=()
if [ "$(id -u)" -eq 0 ]; then
  dir=$(mktemp -d -p /tmp gazetop-postgres.XXXXXX)
  chown nobody: "$dir"
  as_server=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --)
else
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gazetop-postgres.XXXXXX")
fi

stop() {
  "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" stop -m immediate -w >/dev/null 2>&1
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_server[@]}" sh -c 'umask 077 && printf "%s\n" "$1" > "$2"' sh "$password" "$dir/password"

# fsync off and no synchronous commit: a throwaway cluster, and a test run on a loaded machine.
if ! "${as_server[@]}" "$bindir/initdb" -D "$dir/data" -U gazetop --pwfile="$dir/password" --auth=scram-sha-256 \
       --encoding=UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$dir/initdb.log" >&2
  exit 1
fi
if ! "${as_server[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
       -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
       >/dev/null 2>&1; then
  echo "with-postgres: the PostgreSQL server did not start:" >&2
  cat "$dir/server.log" >&2
  exit 1
fi

export GAZETOP_TEST_POSTGRES_URL="postgres://gazetop:$password@127.0.0.1:$port/postgres"
"$@"
