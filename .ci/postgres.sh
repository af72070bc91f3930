# Source this file: starts a throwaway PostgreSQL from the installed server binaries (unix
# socket only, in a temporary folder), exports GUICHET_TEST_PG_URL, and stops it on exit.
# See ../shared/reference/postgresql-throwaway.md.
pg_demarrer() {
    local bin
    bin=$(pg_config --bindir 2>/dev/null) || { echo "PostgreSQL absent : tests SQLite seulement" >&2; return 0; }
    [ -x "$bin/initdb" ] || { echo "initdb absent : tests SQLite seulement" >&2; return 0; }
    PG_D=$(mktemp -d); PG_S=$(mktemp -d)
    local moi=""
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$PG_D" "$PG_S"; chmod 700 "$PG_D"; moi="su postgres -c"
    fi
    local port=${PG_PORT:-54329}  # PG_PORT: another cluster beside the tests' one
    local initdb="$bin/initdb -D $PG_D -U postgres --auth=trust --encoding=UTF8 --locale=C"
    local start="$bin/pg_ctl -D $PG_D -l $PG_D/server.log -w -o \"-p $port -c listen_addresses='' -k $PG_S -c fsync=off\" start"
    if [ -n "$moi" ]; then
        su postgres -c "$initdb" >/dev/null && su postgres -c "$start" >/dev/null
    else
        eval "$initdb" >/dev/null && eval "$start" >/dev/null
    fi || { echo "PostgreSQL n'a pas démarré : tests SQLite seulement" >&2; cat "$PG_D/server.log" >&2; return 0; }
    PG_STOP="$bin/pg_ctl -D $PG_D -m fast -w stop"
    PG_MOI="$moi"
    export GUICHET_TEST_PG_URL="postgresql+psycopg://postgres@/postgres?host=$PG_S&port=$port"
    trap pg_arreter EXIT
}

pg_arreter() {
    [ -n "${PG_STOP:-}" ] || return 0
    if [ -n "$PG_MOI" ]; then su postgres -c "$PG_STOP" >/dev/null; else eval "$PG_STOP" >/dev/null; fi
    rm -rf "$PG_D" "$PG_S"
    PG_STOP=""
}
