#!/usr/bin/env bash
# Benchmark: a staging refresh with sync-tool, and masking a live copy in place with mask-tool,
# against the ways it is done today and the tools operators pick instead, measured side by side in
# one run, at several sizes so that growth is visible.
#
#   prod -> staging, masked:
#     seeds' way           DROP/CREATE DATABASE staging; pg_dump prod | psql staging; UPDATE masking
#     sync-tool run        pg_dump | mask | psql into staging__incoming, verify, swap (--jobs 1)
#     sync-tool run -j 2   the same, tables copied two at a time under one exported snapshot
#     pganonymize          the seeds' restore, then pganonymize (PyPI) in place
#     pynonymizer          the seeds' restore, then pynonymizer's anonymize step (PyPI) in place
#     reference            pg_dump -Fd -Z 0 -j 2, then pg_restore -j 2 into a fresh database
#                          (unmasked; what a parallel copy costs the servers; reported only)
#   mask a live copy in place (each run on a fresh, checkpointed copy of the unmasked database):
#     UPDATE masking       the seeds' UPDATE script
#     mask-tool apply      the example rules (the same columns as the UPDATEs)
#     mask-tool apply      full rules: also the events' JSON payload, scrubbed as free text
#     pganonymize, pynonymizer in place, on the same columns as the UPDATEs
#
# The question is whether a refresh that masks in the stream, verifies the copy before it goes
# live and swaps it in whole is cheaper than a restore followed by UPDATEs, which do the same
# masking as a second pass over the biggest tables and leave a dead tuple for every masked row; and
# whether apply, which rewrites each masked table, beats the UPDATEs on a copy that is already there.
# Targets: sync-tool --jobs 1 <= 0.7x the seeds' wall time, --jobs 2 <= 0.60x.
#
# It starts two throw-away PostgreSQL clusters on their own ports, "production" and "staging",
# and generates in production the database bench-mask.sh uses: users, accounts, sessions and
# verification_tokens with exactly the columns of examples/masking.example.toml, plus a large
# all-kept events table (scale 1: 140,000 users, a plain dump of about 300 MB; SCALE multiplies
# every table). The rules are the example's plus a section keeping every column of public.events.
# Staging starts, as in real life, with an existing database `staging` holding an older,
# UPDATE-masked copy (production has grown by 1% since); every refresh starts from that same state
# (a fresh copy of it, checkpointed), every in-place masking from a fresh copy of the unmasked data.
#
# The peers are installed from PyPI into virtual environments under target/tools; one that cannot
# be installed, or fails a trial run on a copy of the data, is left out with the reason printed.
#
# Each size runs ROUNDS interleaved rounds (default 3) through scripts/lib/bench.py and prints
# medians, the ratio of each run to its group's first row, client CPU seconds, peak memory of the
# largest client process and the database's size afterwards (bytes; its ratio in `size`). A second
# table adds the CPU seconds of both servers (from /proc) and the dead tuples the masking left, and
# sync-tool's phases. After every masked run the copy is checked: the source's row counts, every
# e-mail address masked, none of the source's addresses left. Results: target/bench-sync-SCALE.json.
#
#   scripts/bench-sync.sh                           # scales 0.1 0.3 1
#   SCALES="0.1" ROUNDS=1 scripts/bench-sync.sh
#   ONLY=mask SCALES="0.1 0.3" scripts/bench-sync.sh  # only the groups starting so (several: split at |)
#   PEERS=0 scripts/bench-sync.sh                   # without pganonymize and pynonymizer
#   HOLD=/tmp/ports SCALES=0.3 scripts/bench-sync.sh  # keep the clusters up (ports written to
#                                                   # the file) to profile by hand
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCALES=${SCALES:-"0.1 0.3 1"}
ROUNDS=${ROUNDS:-3}
PEERS=${PEERS:-1}

source scripts/lib/bench-cluster.sh
bench_setup sync python3
# SYNC_TOOL=/path/to/sync-tool (and MASK_TOOL=...) measure those binaries instead of the workspace's.
TOOL=${SYNC_TOOL:-}
MASK=${MASK_TOOL:-}
if [ -z "$TOOL" ] || [ -z "$MASK" ]; then cargo build --release -q -p sync-tool -p mask-tool; fi
TOOL=${TOOL:-$ROOT/target/release/sync-tool}
MASK=${MASK:-$ROOT/target/release/mask-tool}
PORT_P=$(free_port)
PORT_S=$(free_port)
while [ "$PORT_S" = "$PORT_P" ]; do PORT_S=$(free_port); done
unset PGPORT PGDATABASE
# A fixed 32-character salt: keyed transforms (fake_email, fake_phone, scrub) need one.
export MASK_SALT=bench-salt-0123456789abcdefghijk
start_cluster prod "$PORT_P"
start_cluster staging "$PORT_S"
mkdir -p "$WORK/stats"

PSQL_P="$BIN/psql -X -q -v ON_ERROR_STOP=1 -p $PORT_P"
PSQL_S="$BIN/psql -X -q -v ON_ERROR_STOP=1 -p $PORT_S"
PG_DUMP="$BIN/pg_dump"
STATS="python3 $ROOT/scripts/lib/bench-sync-stats.py"
MAJOR=$($PSQL_S -At -d postgres -c "SHOW server_version_num")
MAJOR=$((MAJOR / 10000))
# A database copied from a template by copying its files (PostgreSQL 15+ would WAL-log every page).
FILE_COPY=""; [ "$MAJOR" -ge 15 ] && FILE_COPY="STRATEGY FILE_COPY"
quiet() { PGOPTIONS="-c client_min_messages=warning" "$@"; }

# The rules: the example's, plus the events table kept as it is (strict mode needs every table).
RULES="$WORK/masking.toml"
cp examples/masking.example.toml "$RULES"
cat >> "$RULES" <<'TOML'

[tables."public.events"]
keep = ["id", "user_id", "kind", "payload", "created_at"]
TOML
# Full rules: the same, and the events' JSON payload scrubbed as free text (e-mail addresses and
# phone numbers in it replaced), so that apply rewrites the largest table too.
FULL_RULES="$WORK/masking-full.toml"
cp examples/masking.example.toml "$FULL_RULES"
cat >> "$FULL_RULES" <<'TOML'

[tables."public.events"]
payload = "scrub"
keep = ["id", "user_id", "kind", "created_at"]
TOML

# The seeds' masking, doing what the rules do: one UPDATE per table (each row rewritten once, the
# cheapest form of it), NULLs left NULL as the masker does (shared with the other benchmark).
UPDATES="$ROOT/scripts/lib/seeds-masking.sql"

# The peers' configurations, masking the columns the UPDATEs mask, each in the tool's own terms.
# pganonymize (a YAML schema) reads every row of a table into Python, computes the new values, copies
# them into a temporary table and writes them back with one UPDATE ... FROM; NULLs stay NULL. It
# needs a single-column key: verification_tokens (key: identifier, token) is done in two passes,
# keyed by token and then by the already masked identifier (both unique).
cat > "$WORK/pganonymize.yml" <<'YAML'
tables:
  - users:
      primary_key: id
      fields:
        - email: {provider: {name: set, value: ""}, format: "user_{id}@test.example.com"}
        - name: {provider: {name: set, value: ""}, format: "Test User {id}"}
        - phone: {provider: {name: fake.phone_number}}
        - image: {provider: {name: clear}}
  - accounts:
      primary_key: id
      fields:
        - provider_account_id: {provider: {name: set, value: ""}, format: "masked_{id}"}
        - refresh_token: {provider: {name: md5}}
        - access_token: {provider: {name: md5}}
        - id_token: {provider: {name: md5}}
        - oauth_token: {provider: {name: md5}}
        - oauth_token_secret: {provider: {name: set, value: ""}, format: "masked_secret_{id}"}
        - session_state: {provider: {name: clear}}
  - sessions:
      primary_key: id
      fields:
        - session_token: {provider: {name: md5}}
  - verification_tokens:
      primary_key: token
      fields:
        - identifier: {provider: {name: md5}}
  - verification_tokens:
      primary_key: identifier
      fields:
        - token: {provider: {name: md5}}
YAML
# pynonymizer (a strategy file) runs one UPDATE per table through psql: SQL expressions where given,
# faker values for name and phone drawn from a seed table it fills first. It runs once per table,
# each with a strategy of that table alone: given several tables in one strategy, pynonymizer 2.5.0
# runs the whole list once for each table (every table updated as many times as there are tables).
# Its time swings from run to run: its faker columns are a subquery per row on the seed table, and
# once autovacuum has analysed that table (likely on an idle server) the planner scans it instead of
# using its key, computing the row's hash again for every seed row.
PYN_TABLES="users accounts sessions verification_tokens"
pyn_strategy() { cat > "$WORK/pynonymizer-$1.yml"; }
pyn_strategy users <<'YAML'
tables:
  users:
    columns:
      email: "('user_' || id || '@test.example.com')"
      name: name
      phone: phone_number
      image: "(NULL)"
YAML
pyn_strategy accounts <<'YAML'
tables:
  accounts:
    columns:
      provider_account_id: "('masked_' || id)"
      refresh_token: "(CASE WHEN refresh_token IS NOT NULL THEN md5(random()::text) END)"
      access_token: "(CASE WHEN access_token IS NOT NULL THEN md5(random()::text) END)"
      id_token: "(CASE WHEN id_token IS NOT NULL THEN md5(random()::text) END)"
      oauth_token: "(CASE WHEN oauth_token IS NOT NULL THEN md5(random()::text) END)"
      oauth_token_secret: "(CASE WHEN oauth_token_secret IS NOT NULL THEN 'masked_secret_' || id END)"
      session_state: "(NULL)"
YAML
pyn_strategy sessions <<'YAML'
tables:
  sessions:
    columns:
      session_token: "(md5(random()::text))"
YAML
pyn_strategy verification_tokens <<'YAML'
tables:
  verification_tokens:
    columns:
      identifier: "(md5(identifier))"
      token: "(md5(random()::text))"
YAML

# peer_install NAME : NAME from PyPI into its own virtual environment under target/tools; prints
# why not and fails when it cannot be installed.
peer_install() {
  local venv="$ROOT/target/tools/$1"
  [ -x "$venv/bin/$1" ] && return 0
  echo "installing $1 from PyPI into target/tools/$1..." >&2
  rm -rf "$venv"
  # psycopg2 (pganonymize's driver) builds against libpq.
  if ! need pg_config; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpq-dev gcc python3-dev >/dev/null 2>&1 || true
  fi
  if ! python3 -m venv "$venv" >"$WORK/$1.install" 2>&1 || ! "$venv/bin/pip" install -q "$1" >>"$WORK/$1.install" 2>&1; then
    echo "$1 left out: it could not be installed:" >&2; tail -5 "$WORK/$1.install" >&2
    rm -rf "$venv"; return 1
  fi
}
PGA="$ROOT/target/tools/pganonymize/bin/pganonymize"
PYN="$ROOT/target/tools/pynonymizer/bin/pynonymizer"
# peer_cmd NAME DB : the command masking DB on the staging server in place with peer NAME.
peer_cmd() {
  case $1 in
    # pganonymize takes the password on its command line only (an empty one when not given); this is
    # the throw-away clusters' own.
    pganonymize) echo "$PGA --schema $WORK/pganonymize.yml --dbname $2 --user postgres --password \"\$PGPASSWORD\" --host 127.0.0.1 --port $PORT_S" ;;
    pynonymizer)
      local t sep=""
      for t in $PYN_TABLES; do
        printf '%s' "${sep}PATH=$BIN:\$PATH $PYN --db-type postgres --db-host 127.0.0.1 --db-port $PORT_S --db-user postgres --db-name $2 --strategy $WORK/pynonymizer-$t.yml --only-step ANONYMIZE_DB"
        sep=" && "
      done
      echo ;;
  esac
}
PEER_LIST=""
if [ "$PEERS" = 1 ]; then
  for p in pganonymize pynonymizer; do peer_install "$p" && PEER_LIST="$PEER_LIST $p"; done
fi
PEERS_TRIED=0

# make_source ROWS : production's database `app` with ROWS users and what goes with them; then
# staging's older copy of it, UPDATE-masked (staging_base), production's growth by 1%, and an
# unmasked copy of the grown data on the staging server to mask in place (live_base).
make_source() {
  local rows=$1 grow
  quiet $PSQL_P -d postgres -c "DROP DATABASE IF EXISTS app" -c "CREATE DATABASE app"
  quiet $PSQL_S -d postgres -c "DROP DATABASE IF EXISTS staging" -c "DROP DATABASE IF EXISTS live" \
    -c "DROP DATABASE IF EXISTS r_restore" -c "DROP DATABASE IF EXISTS staging_base" -c "DROP DATABASE IF EXISTS live_base"
  # The NextAuth/Auth.js tables with exactly the columns the example rules class (strict mode),
  # their keys and constraints, and realistic values: Google accounts carry every token, GitHub ones
  # an access token only, Twitter (OAuth 1) ones oauth_token and oauth_token_secret. Same generator
  # as bench-mask.sh, as functions of the id range so that production can grow after staging's copy.
  $PSQL_P -d app >/dev/null <<SQL
CREATE TABLE users (id bigint PRIMARY KEY, name text, email text NOT NULL UNIQUE, email_verified timestamptz,
  image text, phone text, created_at timestamptz NOT NULL);
CREATE TABLE accounts (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE,
  type text NOT NULL, provider text NOT NULL, provider_account_id text NOT NULL, refresh_token text,
  access_token text, expires_at bigint, token_type text, scope text, id_token text, session_state text,
  oauth_token_secret text, oauth_token text, UNIQUE (provider, provider_account_id));
CREATE TABLE sessions (id bigint PRIMARY KEY, session_token text NOT NULL UNIQUE,
  user_id bigint NOT NULL REFERENCES users ON DELETE CASCADE, expires timestamptz NOT NULL);
CREATE TABLE verification_tokens (identifier text NOT NULL, token text NOT NULL UNIQUE, expires timestamptz NOT NULL,
  PRIMARY KEY (identifier, token));
CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL, kind text NOT NULL, payload jsonb NOT NULL,
  created_at timestamptz NOT NULL);

-- gen(a, b): users a..b and the accounts, sessions, verification tokens and events that go with them.
CREATE FUNCTION pg_temp.gen(a bigint, b bigint) RETURNS void LANGUAGE sql AS \$gen\$
INSERT INTO users SELECT g,
  initcap(substr(md5(g::text), 1, 6)) || ' ' || initcap(substr(md5((g * 7)::text), 1, 9)),
  substr(md5(g::text), 1, 6) || '.' || substr(md5((g * 7)::text), 1, 9) || g || '@'
    || (ARRAY['gmail.com','outlook.com','corp.example','web.de'])[1 + g % 4],
  CASE WHEN g % 5 = 0 THEN NULL ELSE timestamptz '2024-01-01' + (g % 86400) * interval '17 minutes' END,
  CASE WHEN g % 3 = 0 THEN NULL ELSE 'https://lh3.googleusercontent.com/a/ACg8oc' || md5((g * 11)::text) || '=s96-c' END,
  CASE WHEN g % 2 = 0 THEN NULL ELSE '+49 ' || (1500000000 + (g * 7919) % 99999999)::text END,
  timestamptz '2023-06-01' + (g % 86400) * interval '13 minutes'
FROM generate_series(a, b) g;

INSERT INTO accounts SELECT g, 1 + (g - 1) % b, 'oauth', p,
  CASE p WHEN 'google' THEN (100000000000000000000::numeric + g * 7919)::text ELSE (10000000 + g * 31)::text END,
  CASE WHEN p = 'google' THEN '1//0' || md5((g * 3)::text) || md5((g * 5)::text) || '-L9Ir' || md5((g * 13)::text) END,
  CASE p WHEN 'twitter' THEN NULL
         WHEN 'google' THEN 'ya29.a0A' || md5((g * 17)::text) || md5((g * 19)::text) || md5((g * 23)::text) || md5((g * 29)::text)
         ELSE 'gho_' || substr(md5((g * 17)::text), 1, 36) END,
  CASE WHEN p = 'google' THEN 1735689600 + g % 3600 END,
  CASE WHEN p = 'twitter' THEN NULL ELSE 'bearer' END,
  CASE p WHEN 'google' THEN 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile'
         WHEN 'github' THEN 'read:user,user:email' END,
  CASE WHEN p = 'google' THEN 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjY3MTk2NzhjZmE5YWYyNjFiY2ZjOGQ3MSIsInR5cCI6IkpXVCJ9.'
    || md5((g * 37)::text) || md5((g * 41)::text) || md5((g * 43)::text) || md5((g * 47)::text)
    || md5((g * 53)::text) || md5((g * 59)::text) || md5((g * 61)::text) || md5((g * 67)::text) || '.'
    || md5((g * 71)::text) || md5((g * 73)::text) || md5((g * 79)::text) || md5((g * 83)::text) END,
  CASE WHEN p = 'google' AND g % 10 = 0 THEN md5((g * 89)::text) END,
  CASE WHEN p = 'twitter' THEN substr(md5((g * 97)::text) || md5((g * 101)::text), 1, 45) END,
  CASE WHEN p = 'twitter' THEN (10000000 + g * 31)::text || '-' || substr(md5((g * 103)::text), 1, 31) END
FROM (SELECT g, (ARRAY['google','google','github','twitter'])[1 + g % 4] AS p
      FROM generate_series((a - 1) * 5 / 4 + 1, b * 5 / 4) g) s;

INSERT INTO sessions SELECT g, md5((g * 107)::text)::uuid::text, 1 + (g * 7) % b,
  timestamptz '2025-01-01' + g * interval '11 seconds'
FROM generate_series((a - 1) * 2 + 1, b * 2) g;

INSERT INTO verification_tokens SELECT u.email, md5((u.id * 109)::text) || md5((u.id * 113)::text),
  timestamptz '2025-02-01' + u.id * interval '1 minute'
FROM users u WHERE u.id BETWEEN a AND b AND u.id % 100 = 0;

INSERT INTO events SELECT g, 1 + (g * 31) % b,
  (ARRAY['page_view','login','upload','share','comment','search'])[1 + g % 6],
  jsonb_build_object('path', '/app/projects/' || (g % 5000) || '/items/' || (g % 977),
                     'ip', '10.' || (g % 256) || '.' || (g * 7 % 256) || '.' || (g * 13 % 256),
                     'ua', 'Mozilla/5.0 (X11; Linux x86_64) agent/' || (g % 40),
                     'ms', g % 1000, 'ok', g % 17 <> 0),
  timestamptz '2025-01-01' + g * interval '3 seconds'
FROM generate_series((a - 1) * 7 + 1, b * 7) g;
\$gen\$;
SELECT pg_temp.gen(1, $rows);
SQL

  # Staging's older copy: production as it is now, masked the seeds' way; then production grows by
  # 1% (new users with their rows), so that a refresh that did not happen would show.
  $PSQL_S -d postgres -c "CREATE DATABASE staging_base"
  $PG_DUMP -p "$PORT_P" -d app | $PSQL_S -d staging_base >/dev/null
  $PSQL_S -d staging_base -f "$UPDATES"
  $PSQL_S -d staging_base -c "VACUUM ANALYZE"
  grow=$((rows / 100 > 0 ? rows / 100 : 1))
  $PSQL_P -d app >/dev/null <<SQL
CREATE FUNCTION pg_temp.grow(a bigint, b bigint) RETURNS void LANGUAGE sql AS \$g\$
INSERT INTO users SELECT g, 'New User ' || g, 'new.' || md5(g::text) || g || '@gmail.com', NULL, NULL,
  '+49 ' || (1600000000 + g)::text, now() FROM generate_series(a, b) g;
INSERT INTO sessions SELECT g, md5((g * 107)::text)::uuid::text, g - (SELECT max(id) FROM sessions) + a - 1,
  now() + interval '1 day' FROM generate_series((SELECT max(id) FROM sessions) + 1, (SELECT max(id) FROM sessions) + b - a + 1) g;
INSERT INTO verification_tokens SELECT email, md5((id * 109)::text), now() FROM users WHERE id BETWEEN a AND b;
INSERT INTO events SELECT g, a + g % (b - a + 1), 'login', jsonb_build_object('new', true), now()
FROM generate_series((SELECT max(id) FROM events) + 1, (SELECT max(id) FROM events) + (b - a + 1) * 7) g;
\$g\$;
SELECT pg_temp.grow($rows + 1, $rows + $grow);
ANALYZE;
SQL
  # The live copy to mask in place: the grown production data restored, unmasked, and vacuumed.
  $PSQL_S -d postgres -c "CREATE DATABASE live_base"
  $PG_DUMP -p "$PORT_P" -d app | $PSQL_S -d live_base >/dev/null
  $PSQL_S -d live_base -c "VACUUM ANALYZE"
}

# peer_trial NAME : masks a fresh copy of live_base with peer NAME and checks it; prints why not
# and fails when it cannot run against this PostgreSQL or leaves something unmasked.
peer_trial() {
  quiet $PSQL_S -d postgres -c "DROP DATABASE IF EXISTS live" -c "CREATE DATABASE live TEMPLATE live_base $FILE_COPY"
  if ! bash -c "$(peer_cmd "$1" live)" >"$WORK/$1.trial" 2>&1 || ! $STATS check "$1" live >>"$WORK/$1.trial" 2>&1; then
    echo "$1 left out: its trial run on a copy of the data failed:" >&2; tail -5 "$WORK/$1.trial" >&2
    return 1
  fi
  echo "$1 $("$ROOT/target/tools/$1/bin/pip" show "$1" | sed -n 's/^Version: //p'): its trial run on a copy of the data passed the checks" >&2
}

export WORK BIN PSQL_P PSQL_S PORT_P PORT_S TOOL MASK RULES FULL_RULES UPDATES FILE_COPY STATS
for SCALE in $SCALES; do
  ROWS=$(python3 -c "print(max(1, round(140000 * $SCALE)))")
  echo "generating the benchmark database at scale $SCALE ($ROWS users, $((ROWS * 7)) events)..." >&2
  make_source "$ROWS"
  if [ -n "${HOLD:-}" ]; then
    # HOLD=1: keep the clusters of this scale up for profiling by hand (until interrupted).
    echo "holding: production on port $PORT_P (database app), staging on port $PORT_S (staging_base);" \
      "PGPASSWORD=$PGPASSWORD MASK_SALT=$MASK_SALT; rules $RULES; interrupt to end" >&2
    echo "$PORT_P $PORT_S $RULES" > "$HOLD"
    sleep infinity
  fi
  if [ "$PEERS_TRIED" = 0 ]; then
    ok=""; for p in $PEER_LIST; do peer_trial "$p" && ok="$ok $p"; done
    PEER_LIST=$ok; PEERS_TRIED=1
  fi
  DUMP_MB=$(( $($PG_DUMP -p "$PORT_P" -d app | wc -c) / 1000000 ))
  SOURCE_MB=$(( $($PSQL_P -At -d app -c "SELECT pg_database_size(current_database())") / 1000000 ))
  LIVE_MB=$(( $($PSQL_S -At -d live_base -c "SELECT pg_database_size(current_database())") / 1000000 ))
  for p in $PEER_LIST; do
    case $p in
      pganonymize) PGA_STAGING=$(peer_cmd pganonymize staging); PGA_LIVE=$(peer_cmd pganonymize live) ;;
      pynonymizer) PYN_STAGING=$(peer_cmd pynonymizer staging); PYN_LIVE=$(peer_cmd pynonymizer live) ;;
    esac
  done
  export PGA_STAGING="${PGA_STAGING:-}" PGA_LIVE="${PGA_LIVE:-}" PYN_STAGING="${PYN_STAGING:-}" PYN_LIVE="${PYN_LIVE:-}"
  export ONLY="${ONLY:-}"
  python3 - "$WORK/spec.json" <<'PY'
import json, os, shlex, sys
e = os.environ
W, B, T, M, S = e["WORK"], e["BIN"], e["TOOL"], e["MASK"], e["STATS"]
PP, PS, FC = e["PSQL_P"], e["PSQL_S"], e["FILE_COPY"]
q = "PGOPTIONS='-c client_min_messages=warning' "
url = f"postgresql://postgres@127.0.0.1:{e['PORT_S']}"
drop = lambda *dbs: " ".join(f"-c 'DROP DATABASE IF EXISTS {d}'" for d in dbs)
others = ("staging__incoming", "staging__previous", "r_restore")
# Every refresh starts from staging's older copy, nothing else on the staging server, both servers
# checkpointed; every in-place masking from a fresh copy of the unmasked data.
fresh_staging = (f"{q}{PS} -d postgres {drop('staging', 'live', *others)} "
                 f"-c 'CREATE DATABASE staging TEMPLATE staging_base {FC}' -c CHECKPOINT"
                 f" && {PP} -d postgres -c CHECKPOINT && rm -rf {W}/dumpdir && {S} mark")
fresh_ref = (f"{q}{PS} -d postgres {drop('staging', 'live', *others)} -c 'CREATE DATABASE r_restore' -c CHECKPOINT"
             f" && {PP} -d postgres -c CHECKPOINT && rm -rf {W}/dumpdir && {S} mark")
fresh_live = (f"{q}{PS} -d postgres {drop('staging', 'live', *others)} "
              f"-c 'CREATE DATABASE live TEMPLATE live_base {FC}' -c CHECKPOINT"
              f" && {PP} -d postgres -c CHECKPOINT && {S} mark")
size = lambda db: f"{PS} -At -d postgres -c \"SELECT pg_database_size('{db}')\""
after = lambda name, label, db: f"{S} note {name} {db} && {S} check {shlex.quote(label)} {db}"
restore = (f"set -o pipefail; {PS} -d postgres -c 'DROP DATABASE staging' -c 'CREATE DATABASE staging'"
           f" && {B}/pg_dump -p {e['PORT_P']} -d app | {PS} -d staging >/dev/null")
G1 = "prod -> staging, masked"
def sync(name, label, cmd):
    return dict(group=G1, name=name, label=label, before=fresh_staging, cmd=cmd, bytes=size("staging"),
                after=after(name, label, "staging"))
def run(jobs):
    return (f"{T} run --from postgresql://postgres@127.0.0.1:{e['PORT_P']}/app --to {url}/staging"
            f" --rules {e['RULES']} --yes --json --jobs {jobs} --pg-bin-dir {B} > {W}/stats/sync{jobs}.out.json")
v = [dict(sync("seeds", "seeds' way: pg_dump | psql + UPDATEs", f"{restore} && {PS} -d staging -f {e['UPDATES']}"), base=True),
     sync("sync1", "sync-tool run --jobs 1", run(1)),
     sync("sync2", "sync-tool run --jobs 2", run(2))]
if e["PGA_STAGING"]:
    v.append(sync("pga_sync", "pg_dump | psql + pganonymize", f"{restore} && {e['PGA_STAGING']}"))
if e["PYN_STAGING"]:
    v.append(sync("pyn_sync", "pg_dump | psql + pynonymizer", f"{restore} && {e['PYN_STAGING']}"))
v.append(dict(group=G1, name="reference", label="pg_dump -Fd -j2 | pg_restore -j2 (no mask)", before=fresh_ref,
              cmd=f"{B}/pg_dump -p {e['PORT_P']} -d app -Fd -Z 0 -j 2 -f {W}/dumpdir"
                  f" && {B}/pg_restore -p {e['PORT_S']} -d r_restore -j 2 {W}/dumpdir",
              bytes=size("r_restore"), after=f"{S} note reference r_restore"))
G2 = "mask a live copy in place"
def live(name, label, cmd):
    return dict(group=G2, name=name, label=label, before=fresh_live, cmd=cmd, bytes=size("live"),
                after=after(name, label, "live"))
v += [dict(live("update", "UPDATE masking (the seeds' script)", f"{PS} -d live -f {e['UPDATES']}"), base=True),
      live("apply", "mask-tool apply (example rules)", f"{M} -q apply --rules {e['RULES']} --db {url}/live"),
      live("apply_full", "mask-tool apply (full rules, scrub)", f"{M} -q apply --rules {e['FULL_RULES']} --db {url}/live")]
if e["PGA_LIVE"]:
    v.append(live("pga_live", "pganonymize", e["PGA_LIVE"]))
if e["PYN_LIVE"]:
    v.append(live("pyn_live", "pynonymizer", e["PYN_LIVE"]))
if e.get("ONLY"):
    v = [x for x in v if any(x["group"].startswith(o) for o in e["ONLY"].split("|"))]
json.dump(v, open(sys.argv[1], "w"))
PY
  OUT="$ROOT/target/bench-sync-$SCALE.json"
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  python3 scripts/lib/bench.py "$WORK/spec.json" --rounds "$ROUNDS" --out "$OUT" \
    --title "scale $SCALE: plain dump $DUMP_MB MB ($ROWS users, $((ROWS * 7)) events), $ROUNDS interleaved rounds, medians"
  $STATS report "$OUT"
  echo "source database $SOURCE_MB MB on production; the unmasked live copy $LIVE_MB MB before masking;"
  echo "$(nproc) cores; load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
done
echo
echo "targets: sync-tool run --jobs 1 <= 0.7x the seeds' way, --jobs 2 <= 0.60x"
echo "checks: after every masked run the copy had the source's row counts, every e-mail address masked, no source address"
