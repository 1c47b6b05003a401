# Throwaway PostgreSQL for tests. Source this file, then call pg_start: it installs Debian's
# postgresql package when the server binaries are missing, starts a cluster in a temporary
# directory on a free loopback port, exports MAMORI_TEST_PG_URL and stops the cluster (and
# deletes it) when the calling shell exits. Any failure is fatal: tests never skip PostgreSQL.

pg_find_bin() {
    local d
    for d in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

pg_ensure_installed() {
    if PG_BIN=$(pg_find_bin); then return 0; fi
    echo "PostgreSQL server binaries not found: installing Debian's postgresql package" >&2
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
    PG_BIN=$(pg_find_bin) || { echo "PostgreSQL could not be installed" >&2; return 1; }
}

pg_free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

pg_stop() {
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        $PG_AS "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
}

pg_start() {
    pg_ensure_installed
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mamori-pg.XXXXXX")
    local user port
    if [ "$(id -u)" = 0 ]; then
        # initdb refuses to run as root: the cluster belongs to the postgres system user.
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$PG_DIR"
        PG_AS="runuser -u postgres --"
        user=postgres
    else
        PG_AS=""
        user=$(id -un)
    fi
    port=$(pg_free_port) || { echo "no free port for PostgreSQL" >&2; return 1; }
    trap pg_stop EXIT
    $PG_AS "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$user" -A trust -E UTF8 --locale=C --no-sync \
        >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    $PG_AS "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
    export MAMORI_TEST_PG_URL="postgres://$user@127.0.0.1:$port"
    echo "throwaway PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $MAMORI_TEST_PG_URL" >&2
}
