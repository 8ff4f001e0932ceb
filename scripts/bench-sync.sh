#!/usr/bin/env bash
# Benchmark: a staging refresh with sync-tool against the way it is done today, measured in the
# same run.
#
#   seeds' way         DROP/CREATE DATABASE staging; pg_dump prod | psql staging; UPDATE masking
#   sync-tool run      pg_dump | mask | psql into staging__incoming, verify, swap (--jobs 1)
#   sync-tool run -j 2 the same, tables copied two at a time under one exported snapshot
#   reference          pg_dump -Fd -Z 0 -j 2, then pg_restore -j 2 into a fresh database
#                      (unmasked; what a parallel copy costs the servers; reported only)
#
# The question is whether a refresh that masks in the stream, verifies the copy before it goes
# live and swaps it in whole is cheaper than a restore followed by UPDATEs, which do the same
# masking as a second pass over the biggest tables and leave a dead tuple for every masked row.
# Targets: sync-tool --jobs 1 <= 0.7x the seeds' wall time, --jobs 2 <= 0.55x. Wall times on a
# shared machine drift from run to run; ratios measured side by side, in alternating order, hold.
#
# It starts two throw-away PostgreSQL clusters on their own ports, "production" and "staging",
# and generates in production the database bench-mask.sh uses: users, accounts, sessions and
# verification_tokens with exactly the columns of examples/masking.example.toml, plus a large
# all-kept events table (SIZE_ROWS scales it; the default gives a plain dump of about 300 MB).
# The rules are the example's plus a section keeping every column of public.events, written to
# the temp folder. Staging
# starts, as in real life, with an existing database `staging` holding an older, UPDATE-masked
# copy (production has grown by 1% since); every measurement starts from that same state (a fresh
# copy of it, checkpointed).
#
# Each way runs ROUNDS times (default 2), the order alternating between rounds, and the best wall
# time of each way counts. Wall time comes from the clock (nanoseconds), client CPU time and peak
# memory from /usr/bin/time (peak RSS of the largest process in the tree: sync-tool or one of its
# pg_dump and psql children), each server's CPU time from /proc (its postmaster and every backend
# it started): with both servers on one machine the sum of the three over the number of cores is a
# floor for the wall time, which shows whether a run is limited by CPU or by waiting. sync-tool's
# --json report gives its phases (preflight, copy, verify, swap).
# After every sync-tool run staging is checked: the source's row counts, every e-mail address
# masked, none of the source's addresses left.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROWS=${SIZE_ROWS:-140000}
ROUNDS=${ROUNDS:-2}

source scripts/lib/bench-cluster.sh
bench_setup sync bc python3
# SYNC_TOOL=/path/to/sync-tool measures that binary instead of building the workspace's.
TOOL=${SYNC_TOOL:-}
if [ -z "$TOOL" ]; then cargo build --release -q -p sync-tool; TOOL="$ROOT/target/release/sync-tool"; fi
PORT_P=$(free_port)
PORT_S=$(free_port)
while [ "$PORT_S" = "$PORT_P" ]; do PORT_S=$(free_port); done
unset PGPORT PGDATABASE
# A fixed 32-character salt: keyed transforms (fake_email, fake_phone) need one.
export MASK_SALT=bench-salt-0123456789abcdefghijk
start_cluster prod "$PORT_P"
start_cluster staging "$PORT_S"

PSQL_P="$BIN/psql -X -q -v ON_ERROR_STOP=1 -p $PORT_P"
PSQL_S="$BIN/psql -X -q -v ON_ERROR_STOP=1 -p $PORT_S"
PG_DUMP="$BIN/pg_dump"
PG_RESTORE="$BIN/pg_restore"
FROM="postgresql://postgres@127.0.0.1:$PORT_P/app"
TO="postgresql://postgres@127.0.0.1:$PORT_S/staging"
MAJOR=$($PSQL_S -At -d postgres -c "SHOW server_version_num")
MAJOR=$((MAJOR / 10000))
# A database copied from a template by copying its files (PostgreSQL 15+ would WAL-log every page).
FILE_COPY=""; [ "$MAJOR" -ge 15 ] && FILE_COPY="STRATEGY FILE_COPY"

EVENTS=$((ROWS * 7))
echo "generating the benchmark database ($ROWS users, $((ROWS * 5 / 4)) accounts, $((ROWS * 2)) sessions, $EVENTS events)..." >&2
$PSQL_P -d postgres -c "CREATE DATABASE app"
# The NextAuth/Auth.js tables with exactly the columns the example rules class (strict mode), their
# keys and constraints, and realistic values: Google accounts carry every token, GitHub ones an
# access token only, Twitter (OAuth 1) ones oauth_token and oauth_token_secret. Same generator as
# bench-mask.sh, as functions of the id range so that production can grow after staging's copy.
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
SELECT pg_temp.gen(1, $ROWS);
SQL


# The rules: the example's, plus the events table kept as it is (strict mode needs every table).
RULES="$WORK/masking.toml"
cp examples/masking.example.toml "$RULES"
cat >> "$RULES" <<'TOML'

[tables."public.events"]
keep = ["id", "user_id", "kind", "payload", "created_at"]
TOML

# The seeds' masking, doing what the rules do (the same statements as bench-mask.sh): one UPDATE per
# table (each row rewritten once, the cheapest form of it), NULLs left NULL as the masker does.
UPDATES="$WORK/updates.sql"
cat > "$UPDATES" <<'SQL'
UPDATE users SET email = 'user_' || id || '@test.example.com',
  name = CASE WHEN name IS NOT NULL THEN 'Test User ' || id END,
  phone = CASE WHEN phone IS NOT NULL THEN '+1 555 ' || lpad((id % 10000000)::text, 7, '0') END,
  image = NULL;
UPDATE accounts SET provider_account_id = 'masked_' || id,
  refresh_token = CASE WHEN refresh_token IS NOT NULL THEN md5(random()::text) END,
  access_token = CASE WHEN access_token IS NOT NULL THEN md5(random()::text) END,
  id_token = CASE WHEN id_token IS NOT NULL THEN md5(random()::text) END,
  oauth_token = CASE WHEN oauth_token IS NOT NULL THEN md5(random()::text) END,
  oauth_token_secret = CASE WHEN oauth_token_secret IS NOT NULL THEN 'masked_secret_' || id END,
  session_state = NULL;
UPDATE sessions SET session_token = md5(random()::text);
UPDATE verification_tokens SET identifier = md5(identifier), token = md5(random()::text);
SQL

# Staging's older copy: production as it is now, masked the seeds' way; then production grows by
# 1% (new users with their rows), so that a refresh that did not happen would show.
echo "restoring staging's older copy..." >&2
$PSQL_S -d postgres -c "CREATE DATABASE staging_base"
$PG_DUMP -p "$PORT_P" -d app | $PSQL_S -d staging_base >/dev/null
$PSQL_S -d staging_base -f "$UPDATES"
$PSQL_S -d staging_base -c "VACUUM ANALYZE"
GROW=$((ROWS / 100 > 0 ? ROWS / 100 : 1))
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
SELECT pg_temp.grow($ROWS + 1, $ROWS + $GROW);
ANALYZE;
SQL
TABLES="users accounts sessions verification_tokens events"
declare -A SRC_ROWS
for t in $TABLES; do SRC_ROWS[$t]=$($PSQL_P -At -d app -c "SELECT count(*) FROM $t"); done
DUMP_BYTES=$($PG_DUMP -p "$PORT_P" -d app | wc -c)
SOURCE_DB_BYTES=$($PSQL_P -At -d app -c "SELECT pg_database_size(current_database())")
echo "plain dump size: $((DUMP_BYTES / 1000000)) MB; source database $((SOURCE_DB_BYTES / 1000000)) MB" >&2

# server_ticks CLUSTER : CPU clock ticks used so far by a cluster's server processes: the
# postmaster, the backends it has reaped (its children's time) and those still running.
server_ticks() {
  local pm c; pm=$(head -1 "$WORK/$1/postmaster.pid")
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
    for c in $(ps -o pid= --ppid "$pm"); do awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null || true; done
  } | awk '{ s += $1 } END { print s + 0 }'
}
HZ=$(getconf CLK_TCK)
# time_run NAME OUT CMD... : one run of CMD under /usr/bin/time, stdout to OUT, stderr to
# $WORK/NAME.err; sets T_WALL (clock, seconds), T_CPU (user + system of CMD and its children),
# T_SRC and T_DST (CPU seconds of the production and the staging server meanwhile) and T_MEM
# (peak RSS, KB). A failure prints the command and its stderr and stops the benchmark.
time_run() {
  local name=$1 out=$2; shift 2
  local t0 t1 w u s m p0 p1 s0 s1
  p0=$(server_ticks prod); s0=$(server_ticks staging)
  t0=$(date +%s%N)
  if ! /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >"$out" 2>"$WORK/$name.err"; then
    echo "$name failed: $*" >&2; cat "$WORK/$name.err" >&2; [ "$out" = /dev/null ] || cat "$out" >&2
    exit 1
  fi
  t1=$(date +%s%N)
  p1=$(server_ticks prod); s1=$(server_ticks staging)
  read -r w u s m < <(tail -1 "$WORK/time")
  T_WALL=$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc); T_CPU=$(echo "$u + $s" | bc); T_MEM=$m
  T_SRC=$(echo "scale=2; ($p1 - $p0) / $HZ" | bc); T_DST=$(echo "scale=2; ($s1 - $s0) / $HZ" | bc)
}
ratio() { printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"; }
db_size() { $PSQL_S -At -d postgres -c "SELECT pg_database_size('$1')"; }
quiet() { PGOPTIONS="-c client_min_messages=warning" "$@"; }
# The state every measurement starts from: staging is a fresh copy of the older one, nothing else
# on the staging server, both servers checkpointed.
reset_staging() {
  quiet $PSQL_S -d postgres -c "DROP DATABASE IF EXISTS staging" -c "DROP DATABASE IF EXISTS staging__incoming" \
    -c "DROP DATABASE IF EXISTS staging__previous" -c "DROP DATABASE IF EXISTS r_restore" \
    -c "CREATE DATABASE staging TEMPLATE staging_base $FILE_COPY" -c CHECKPOINT
  $PSQL_P -d postgres -c CHECKPOINT
  rm -rf "$WORK/dumpdir"
}
fail() { echo "check failed: $*" >&2; exit 1; }
# check_staging LABEL : staging holds the source's rows, masked.
check_staging() {
  local t n
  for t in $TABLES; do
    n=$($PSQL_S -At -d staging -c "SELECT count(*) FROM $t")
    [ "$n" = "${SRC_ROWS[$t]}" ] || fail "$1: staging.$t has $n rows, the source ${SRC_ROWS[$t]}"
  done
  n=$($PSQL_S -At -d staging -c "SELECT count(*) FROM users WHERE email NOT LIKE 'user\_%@test.example.com'")
  [ "$n" = 0 ] || fail "$1: $n users with an unmasked e-mail address"
  local q="SELECT email FROM users UNION SELECT identifier FROM verification_tokens"
  $PSQL_P -At -d app -c "$q" | LC_ALL=C sort > "$WORK/emails.source"
  $PSQL_S -At -d staging -c "$q" | LC_ALL=C sort > "$WORK/emails.staging"
  n=$(LC_ALL=C comm -12 "$WORK/emails.source" "$WORK/emails.staging" | wc -l)
  [ "$n" = 0 ] || fail "$1: $n source e-mail addresses in staging"
  CHECKS=$((CHECKS + 1))
}
# phases FILE : "name=seconds ..." from sync-tool's --json report.
phases() {
  python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(" ".join(f"{n}={s:.2f}" for n, s in r["phases"]))' "$1"
}

declare -A WALL CPU SRC DST MEM SYNC_DB_BYTES
declare -A L_WALL L_CPU L_SRC L_DST
CHECKS=0
note() { L_WALL[$1]=$T_WALL; L_CPU[$1]=$T_CPU; L_SRC[$1]=$T_SRC; L_DST[$1]=$T_DST; } # NAME: this part's figures
# total NAME PARTS... : the parts' figures added up as this run's T_*.
total() {
  local p; T_WALL=0; T_CPU=0; T_SRC=0; T_DST=0; T_MEM=0; shift
  for p in "$@"; do
    T_WALL=$(echo "$T_WALL + ${L_WALL[$p]}" | bc); T_CPU=$(echo "$T_CPU + ${L_CPU[$p]}" | bc)
    T_SRC=$(echo "$T_SRC + ${L_SRC[$p]}" | bc); T_DST=$(echo "$T_DST + ${L_DST[$p]}" | bc)
  done
}
# keep_best NAME [PARTS...] : keeps this run's figures (and its parts') if its wall time is the
# best so far.
keep_best() {
  local n=$1 p; shift
  if [ -z "${WALL[$n]:-}" ] || (( $(echo "$T_WALL < ${WALL[$n]}" | bc) )); then
    WALL[$n]=$T_WALL; CPU[$n]=$T_CPU; SRC[$n]=$T_SRC; DST[$n]=$T_DST; MEM[$n]=$T_MEM
    for p in "$@"; do WALL[$p]=${L_WALL[$p]}; CPU[$p]=${L_CPU[$p]}; SRC[$p]=${L_SRC[$p]}; DST[$p]=${L_DST[$p]}; MEM[$p]=0; done
    return 0
  fi
  return 1
}

run_seeds() {
  reset_staging
  time_run seeds_reset /dev/null $PSQL_S -d postgres -c "DROP DATABASE staging" -c "CREATE DATABASE staging"
  note seeds_reset
  time_run seeds_restore /dev/null bash -o pipefail -c "$PG_DUMP -p $PORT_P -d app | $PSQL_S -d staging"
  note seeds_restore
  time_run seeds_updates /dev/null $PSQL_S -d staging -f "$UPDATES"
  note seeds_updates
  total seeds seeds_reset seeds_restore seeds_updates
  keep_best seeds seeds_reset seeds_restore seeds_updates || true
  SEEDS_DB_BYTES=$(db_size staging)
  echo "  seeds' way: ${T_WALL}s (drop/create ${L_WALL[seeds_reset]}s, pg_dump | psql ${L_WALL[seeds_restore]}s, UPDATEs ${L_WALL[seeds_updates]}s)" >&2
}
run_sync() { # NAME JOBS
  reset_staging
  time_run "$1" "$WORK/$1.json" "$TOOL" run --from "$FROM" --to "$TO" --rules "$RULES" --yes --json \
    --jobs "$2" --pg-bin-dir "$BIN"
  if keep_best "$1"; then cp "$WORK/$1.json" "$WORK/$1.best.json"; fi
  SYNC_DB_BYTES[$1]=$(db_size staging)
  echo "  sync-tool --jobs $2: ${T_WALL}s ($(phases "$WORK/$1.json"))" >&2
  check_staging "sync-tool --jobs $2"
}
# The reference writes the directory format uncompressed (-Z 0): compressing and decompressing
# would only add client CPU that the other ways do not pay.
run_reference() {
  reset_staging
  time_run ref_dump /dev/null $PG_DUMP -p "$PORT_P" -d app -Fd -Z 0 -j 2 -f "$WORK/dumpdir"
  note ref_dump
  $PSQL_S -d postgres -c "CREATE DATABASE r_restore"
  time_run ref_restore /dev/null $PG_RESTORE -p "$PORT_S" -d r_restore -j 2 "$WORK/dumpdir"
  note ref_restore
  total ref ref_dump ref_restore
  keep_best ref ref_dump ref_restore || true
  echo "  pg_dump -Fd -j 2 + pg_restore -j 2: ${T_WALL}s (dump ${L_WALL[ref_dump]}s, restore ${L_WALL[ref_restore]}s)" >&2
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq "$ROUNDS"); do
  echo "round $r of $ROUNDS..." >&2
  if [ $((r % 2)) = 1 ]; then
    run_seeds; run_sync sync1 1; run_sync sync2 2; run_reference
  else
    run_reference; run_sync sync2 2; run_sync sync1 1; run_seeds
  fi
done
reset_staging
quiet $PSQL_S -d postgres -c "DROP DATABASE staging"

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

printf '\n%-40s %8s %8s %8s %8s %8s\n' "run" "wall s" "client" "source" "staging" "peak MB"
printf '%-40s %8s %8s %8s %8s %8s\n' "" "" "cpu s" "srv cpu" "srv cpu" ""
row() { printf '%-40s %8.3f %8.2f %8.2f %8.2f %8s\n' "$1" "${WALL[$2]}" "${CPU[$2]}" "${SRC[$2]}" "${DST[$2]}" "$3"; }
row "seeds' way: DROP + CREATE DATABASE"     seeds_reset   "-"
row "  pg_dump | psql"                      seeds_restore "-"
row "  UPDATE masking"                      seeds_updates "-"
row "seeds' way, total"                     seeds         "-"
row "sync-tool run --jobs 1"                sync1         "$((${MEM[sync1]} / 1024))"
row "sync-tool run --jobs 2"                sync2         "$((${MEM[sync2]} / 1024))"
row "reference: pg_dump -Fd -Z 0 -j 2"      ref_dump      "-"
row "  pg_restore -j 2 (no masking)"        ref_restore   "-"
row "reference, total"                      ref           "-"
echo
echo "plain dump: $((DUMP_BYTES / 1000000)) MB ($((ROWS + GROW)) users, $((EVENTS + GROW * 7)) events); best of $ROUNDS round(s), order alternating"
echo "sync-tool --jobs 1: wall $(ratio "${WALL[sync1]}" "${WALL[seeds]}")x of the seeds' way (target <= 0.7)"
echo "sync-tool --jobs 2: wall $(ratio "${WALL[sync2]}" "${WALL[seeds]}")x of the seeds' way (target <= 0.55)"
echo "                    $(ratio "${WALL[sync2]}" "${WALL[sync1]}")x of --jobs 1; the unmasked pg_dump -j 2 + pg_restore -j 2 takes $(ratio "${WALL[ref]}" "${WALL[seeds]}")x of the seeds' way"
echo "against the plain pg_dump | psql alone (no masking): --jobs 1 $(ratio "${WALL[sync1]}" "${WALL[seeds_restore]}")x, --jobs 2 $(ratio "${WALL[sync2]}" "${WALL[seeds_restore]}")x"
cpu_sum() { printf "%.2f" "$(echo "${CPU[$1]} + ${SRC[$1]} + ${DST[$1]}" | bc)"; }
echo "CPU seconds (clients + both servers): seeds' way $(cpu_sum seeds), --jobs 1 $(cpu_sum sync1), --jobs 2 $(cpu_sum sync2), reference $(cpu_sum ref); $(nproc) cores; load average $LOAD_BEFORE before, $LOAD_AFTER after"
# phase_line NAME : the phases of the best run, each with its share, and the one that dominates.
phase_line() {
  python3 - "$WORK/$1.best.json" "${WALL[$1]}" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); wall = float(sys.argv[2])
ph = r["phases"]; total = sum(s for _, s in ph)
parts = ", ".join(f"{n} {s:.2f}s ({100 * s / wall:.0f}%)" for n, s in ph)
top = max(ph, key=lambda p: p[1])
print(f"{parts}; outside the phases {wall - total:.2f}s; {top[0]} dominates")
PY
}
echo "phases, --jobs 1: $(phase_line sync1)"
echo "phases, --jobs 2: $(phase_line sync2)"
echo "seeds' way:       restore $(ratio "${WALL[seeds_restore]}" "${WALL[seeds]}")x of its time, UPDATEs $(ratio "${WALL[seeds_updates]}" "${WALL[seeds]}")x"
echo "database size:    stream-masked $((${SYNC_DB_BYTES[sync1]} / 1000000)) MB (--jobs 2: $((${SYNC_DB_BYTES[sync2]} / 1000000)) MB), UPDATE-masked $((SEEDS_DB_BYTES / 1000000)) MB: $(ratio "${SYNC_DB_BYTES[sync1]}" "$SEEDS_DB_BYTES")x;"
echo "                  source $((SOURCE_DB_BYTES / 1000000)) MB (UPDATE-masked $(ratio "$SEEDS_DB_BYTES" "$SOURCE_DB_BYTES")x of it, stream-masked $(ratio "${SYNC_DB_BYTES[sync1]}" "$SOURCE_DB_BYTES")x)"
echo "peak memory:      sync-tool --jobs 1 $((${MEM[sync1]} / 1024)) MB, --jobs 2 $((${MEM[sync2]} / 1024)) MB (largest process in its tree)"
echo "checks:           after each of $CHECKS sync-tool runs staging had the source's row counts, every e-mail address masked, no source address"
