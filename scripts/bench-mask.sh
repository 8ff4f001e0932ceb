#!/usr/bin/env bash
# Benchmark: mask-tool filter against the ceiling (reading the file) and against the way staging
# refreshes mask today (restore the dump, then UPDATE the personal columns), measured in the same run.
#
#   cat dump > /dev/null                              the limit: what reading the dump costs
#   mask-tool filter (example rules) dump > /dev/null the masker, strict mode, ~40% of bytes masked
#   mask-tool filter (non-strict rules) dump          pass-through: only one tiny table masked
#   mask-tool filter (scrub rules) scrub-dump         scrub-heavy: support tickets whose free-text
#                                                     subject and body are scrubbed and whose JSON
#                                                     meta is masked at paths, ~40% of the bytes
#   mask-tool filter --jobs 2 (example, scrub rules)  the rows of masked tables masked on 2 threads
#   psql < dump                                       plain restore
#   psql < dump, then UPDATE ...                      the UPDATE-after-restore way
#   mask-tool filter dump | psql                      masking on the way in
#
# pg_dump produces about 118 MB/s on the machines this runs on, so the masker must never be what a
# sync waits on. Targets: >= 300 MB/s on one core with the example rules, >= 1000 MB/s through
# tables that pass through untouched, peak memory <= 64 MB whatever the dump size.
#
# The scrub-heavy workload is a second dump of the same database that also holds a tickets table:
# free text with e-mail addresses and phone numbers in it (one word in 200 each), dates, amounts,
# versions, and a JSON meta record with an address, a phone number and an agent name per row
# (TICKETS_PER_USER scales it, default 3: about 40% of that dump's bytes are in those columns).
# Targets there: >= 800 MB/s on one core with scrub, peak memory <= 64 MB.
#
# It starts its own throw-away PostgreSQL cluster, generates a database with the tables the example
# rules expect (users, accounts, sessions, verification_tokens) plus a large all-kept events table,
# so that roughly 40% of the plain dump is masked and the rest passes through (SIZE_ROWS users at
# scale 1, default 140000: a plain dump of about 300 MB). The rules used are
# examples/masking.example.toml plus a section keeping every column of public.events, written to the
# temp folder.
#
# It runs at each scale of SCALES (default "0.1 0.3 1": SIZE_ROWS times the scale), so that growth
# with size shows: per scale the database is generated again and every measurement runs in ROUNDS
# interleaved rounds (default 3; each round runs every measurement once, in turn), and the MEDIAN
# wall time counts (with the CPU time and peak memory of that run). Wall time comes from the clock
# around the run (nanoseconds; /usr/bin/time rounds to 10 ms, too coarse for cat), CPU time and peak
# memory from /usr/bin/time. Timings on shared machines drift, and on 2 cores the pipelines compete
# with the server for CPU; ratios measured side by side hold, and the load average before and after
# each scale is printed. The restore + UPDATE comparison runs at every scale unless UPDATE_SCALES
# names fewer (e.g. UPDATE_SCALES=1: only at scale 1, which saves most of the run time at the other
# sizes). At the end of each scale the stream-masked copy is checked: same row counts as the source,
# no source e-mail address left, and the same template-masked values as the UPDATE way (the last two
# only where the UPDATE way ran).
#
#   SCALES="0.1" ROUNDS=1 scripts/bench-mask.sh       a quick look
#   BENCH_MASK_KEEP=DIR scripts/bench-mask.sh         keeps each scale's dumps and rules in DIR/SCALE
#   JOBS=4 scripts/bench-mask.sh                      the threaded runs with 4 threads (default 2)
#   BASE_TOOL=/tmp/mask-tool.old scripts/bench-mask.sh also runs the three filters with another
#                                                     build in the same rounds (before/after)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SIZE_ROWS=${SIZE_ROWS:-140000}
SCALES=${SCALES:-0.1 0.3 1}
ROUNDS=${ROUNDS:-3}
UPDATE_SCALES=${UPDATE_SCALES:-$SCALES}

source scripts/lib/bench-cluster.sh
bench_setup mask bc python3
cargo build --release -q -p mask-tool
TOOL="$ROOT/target/release/mask-tool"
PORT=$(free_port)
export PGPORT=$PORT
# A fixed 32-character salt: keyed transforms (fake_email, fake_phone) need one.
export MASK_SALT=bench-salt-0123456789abcdefghijk
start_cluster data "$PORT"

PSQL="$BIN/psql -X -q -v ON_ERROR_STOP=1"
PG_DUMP="$BIN/pg_dump"

# The rules: the example's, plus the events table kept as it is (strict mode needs every table).
RULES="$WORK/masking.toml"
cp examples/masking.example.toml "$RULES"
cat >> "$RULES" <<'TOML'

[tables."public.events"]
keep = ["id", "user_id", "kind", "payload", "created_at"]
TOML
# Scrub-heavy rules: the same, plus tickets with free text scrubbed and the JSON meta masked at paths.
SCRUB_RULES="$WORK/scrub.toml"
cp "$RULES" "$SCRUB_RULES"
cat >> "$SCRUB_RULES" <<'TOML'

[tables."public.tickets"]
subject = "scrub"
body    = "scrub"
meta    = { json = { "from" = "fake_email", "callback" = "fake_phone", "agent" = "fake_name" } }
keep = ["id", "user_id", "status", "created_at"]
TOML
# Pass-through rules: strict mode off, only the small verification_tokens table masked.
PASS_RULES="$WORK/pass-through.toml"
cat > "$PASS_RULES" <<'TOML'
salt_env = "MASK_SALT"
strict = false

[tables."public.verification_tokens"]
identifier = "fake_email"
token      = "random_hash"
keep = ["expires"]
TOML

# The seeds' masking, doing what the rules do: one UPDATE per table (each row rewritten once, the
# cheapest form of it), NULLs left NULL as the masker does (shared with the other benchmark).
UPDATES="$ROOT/scripts/lib/seeds-masking.sql"

# time_run NAME CMD... : one run of CMD under /usr/bin/time (stdout to /dev/null); sets T_WALL
# (clock, seconds), T_CPU (user + system of CMD and its children) and T_MEM (peak RSS, KB).
time_run() {
  local name=$1; shift
  local t0 t1 w u s m
  t0=$(date +%s%N)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; echo "$name failed" >&2; exit 1; }
  t1=$(date +%s%N)
  read -r w u s m < "$WORK/time"
  T_WALL=$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc); T_CPU=$(echo "$u + $s" | bc); T_MEM=$m
}
ratio() { echo "scale=2; $1 / $2" | bc; }
mbps() { if (( $(echo "$1 > 0" | bc) )); then echo "$DUMP_BYTES / $1 / 1000000" | bc; else echo "-"; fi; }
# sample NAME CMD... : one timed run of CMD, kept as one of NAME's samples.
declare -A SAMPLES WALL CPU MEM
sample() { local name=$1; shift; time_run "$name" "$@"; keep "$name" "$T_WALL" "$T_CPU" "$T_MEM"; }
keep() { SAMPLES[$1]+="$2 $3 $4"$'\n'; }
# median NAME: WALL, CPU and MEM of NAME from its run with the median wall time.
median() {
  local w c m
  read -r w c m < <(printf '%s' "${SAMPLES[$1]}" | sort -n | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }')
  WALL[$1]=$w; CPU[$1]=$c; MEM[$1]=${m:-0}
}
db_size() { $PSQL -At -d "$1" -c "SELECT pg_database_size(current_database())"; }
recreate() {
  PGOPTIONS="-c client_min_messages=warning" $PSQL -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" -c CHECKPOINT
}

smbps() { if (( $(echo "$1 > 0" | bc) )); then echo "$SCRUB_DUMP_BYTES / $1 / 1000000" | bc; else echo "-"; fi; }
fail() { echo "check failed: $*" >&2; exit 1; }

# Restores go into a new, empty database created (after a CHECKPOINT) before the clock starts. The
# two ways take turns within each round, and the UPDATE-masked copy is dropped before the stream
# runs, so that autovacuum cleaning up after the UPDATEs does not slow the other side down. The
# UPDATE way is timed in two phases (restore, then the UPDATEs); the median of their sums counts.
# Template-masked values must come out the same either way; this query fingerprints them.
SAME="SELECT (SELECT md5(string_agg(concat_ws('|', id, email, name), ',' ORDER BY id)) FROM users)
  || (SELECT md5(string_agg(concat_ws('|', id, provider_account_id, oauth_token_secret), ',' ORDER BY id)) FROM accounts)"
SUMMARY=""; BASE_SUMMARY=""
for SCALE in $SCALES; do
ROWS=$(awk -v r="$SIZE_ROWS" -v s="$SCALE" 'BEGIN { printf "%d", r * s }')
EVENTS=$((ROWS * 7))
TICKETS=$((ROWS * ${TICKETS_PER_USER:-3}))
UPDATE_RAN=0
for s in $UPDATE_SCALES; do [ "$s" = "$SCALE" ] && UPDATE_RAN=1; done
SAMPLES=(); WALL=(); CPU=(); MEM=()
echo >&2
echo "scale $SCALE: generating the benchmark database ($ROWS users, $((ROWS * 5 / 4)) accounts, $((ROWS * 2)) sessions, $EVENTS events, $TICKETS tickets)..." >&2
recreate bench
$PSQL -d bench <<SQL
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

INSERT INTO users SELECT g,
  initcap(substr(md5(g::text), 1, 6)) || ' ' || initcap(substr(md5((g * 7)::text), 1, 9)),
  substr(md5(g::text), 1, 6) || '.' || substr(md5((g * 7)::text), 1, 9) || g || '@'
    || (ARRAY['gmail.com','outlook.com','corp.example','web.de'])[1 + g % 4],
  CASE WHEN g % 5 = 0 THEN NULL ELSE timestamptz '2024-01-01' + (g % 86400) * interval '17 minutes' END,
  CASE WHEN g % 3 = 0 THEN NULL ELSE 'https://lh3.googleusercontent.com/a/ACg8oc' || md5((g * 11)::text) || '=s96-c' END,
  CASE WHEN g % 2 = 0 THEN NULL ELSE '+49 ' || (1500000000 + (g * 7919) % 99999999)::text END,
  timestamptz '2023-06-01' + (g % 86400) * interval '13 minutes'
FROM generate_series(1::bigint, $ROWS::bigint) g;

INSERT INTO accounts SELECT g, 1 + (g - 1) % $ROWS::bigint, 'oauth', p,
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
      FROM generate_series(1::bigint, $ROWS::bigint * 5 / 4) g) s;

INSERT INTO sessions SELECT g, md5((g * 107)::text)::uuid::text, 1 + (g * 7) % $ROWS::bigint,
  timestamptz '2025-01-01' + g * interval '11 seconds'
FROM generate_series(1::bigint, $ROWS::bigint * 2) g;

INSERT INTO verification_tokens SELECT u.email, md5((u.id * 109)::text) || md5((u.id * 113)::text),
  timestamptz '2025-02-01' + u.id * interval '1 minute'
FROM users u WHERE u.id % 100 = 0;

INSERT INTO events SELECT g, 1 + (g * 31) % $ROWS::bigint,
  (ARRAY['page_view','login','upload','share','comment','search'])[1 + g % 6],
  jsonb_build_object('path', '/app/projects/' || (g % 5000) || '/items/' || (g % 977),
                     'ip', '10.' || (g % 256) || '.' || (g * 7 % 256) || '.' || (g * 13 % 256),
                     'ua', 'Mozilla/5.0 (X11; Linux x86_64) agent/' || (g % 40),
                     'ms', g % 1000, 'ok', g % 17 <> 0),
  timestamptz '2025-01-01' + g * interval '3 seconds'
FROM generate_series(1::bigint, $EVENTS::bigint) g;

-- Support tickets: free text and a JSON record per row, for the scrub-heavy workload (dumped
-- separately, so that the runs above keep measuring what they always did).
CREATE TABLE tickets (id bigint PRIMARY KEY, user_id bigint NOT NULL, status text NOT NULL, subject text,
  body text, meta jsonb NOT NULL, created_at timestamptz NOT NULL);
INSERT INTO tickets SELECT g, 1 + g % $ROWS::bigint, (ARRAY['open','pending','closed'])[1 + g % 3],
  'Re: order ' || (100000 + g % 90000) || ' ' || (ARRAY['late delivery','refund','cannot log in','invoice','address change'])[1 + g % 5],
  (SELECT string_agg(CASE (g * 31 + w * 7) % 200
            WHEN 0 THEN (ARRAY['anna','ben','clara','david','emma'])[1 + (g + w) % 5] || '.' || ((g * 13 + w) % 9973) || '@'
                        || (ARRAY['gmail.com','outlook.com','corp.example','web.de'])[1 + w % 4]
            WHEN 1 THEN '+49 1' || (50 + g % 30) || ' ' || lpad(((g * 7919 + w * 31) % 9999999)::text, 7, '0')
            WHEN 2 THEN '2024-03-' || lpad((1 + w % 28)::text, 2, '0')
            ELSE (ARRAY['the','order','arrived','late','and','the','box','was','damaged','please','refund','my',
                        'account','cannot','log','in','since','update','invoice','attached','thanks','for','quick',
                        'help','shipping','address','changed','to','new','office','call','back','tomorrow',
                        'version','2.4.1','total','49.90','EUR','card','ending','4242'])[1 + (g * 13 + w * 17) % 41]
          END, ' ')
   FROM generate_series(1, 50 + (g % 60)::int) w),
  jsonb_build_object('channel', 'email',
                     'from', 'customer' || g || '@' || (ARRAY['gmail.com','outlook.com','web.de'])[1 + g % 3],
                     'callback', '+1-202-555-' || lpad((g % 10000)::text, 4, '0'),
                     'agent', (ARRAY['Anna Meyer','Ben Okafor','Clara Rossi','David Novak'])[1 + g % 4],
                     'tags', jsonb_build_array('billing', (ARRAY['urgent','normal'])[1 + g % 2])),
  timestamptz '2024-06-01' + g * interval '29 seconds'
FROM generate_series(1::bigint, $TICKETS::bigint) g;
ANALYZE;
SQL

DUMP="$WORK/bench.sql"
$PG_DUMP -d bench --exclude-table=tickets -f "$DUMP"
SCRUB_DUMP="$WORK/bench-scrub.sql"
$PG_DUMP -d bench -f "$SCRUB_DUMP"
SCRUB_DUMP_BYTES=$(stat -c %s "$SCRUB_DUMP")
# Bytes of the scrubbed and JSON-masked columns (subject, body, meta) in the tickets block.
SCRUBBED_BYTES=$(awk -F'\t' '/^COPY public.tickets / { t = 1; next } /^\\\.$/ { t = 0; next }
  t { s += length($4) + length($5) + length($6) } END { print s + 0 }' "$SCRUB_DUMP")
DUMP_BYTES=$(stat -c %s "$DUMP")
# Bytes of each table's COPY block: the share of the dump that goes through the row-by-row lane.
awk '/^COPY public\./ { t = $2; next } /^\\\.$/ { t = ""; next } t != "" { b[t] += length($0) + 1 }
     END { for (t in b) print t, b[t] }' "$DUMP" > "$WORK/table-bytes"
MASKED_BYTES=$(awk '$1 != "public.events" { s += $2 } END { print s + 0 }' "$WORK/table-bytes")
echo "plain dump size: $((DUMP_BYTES / 1000000)) MB, $((MASKED_BYTES * 100 / DUMP_BYTES))% of it in masked tables;" \
  "$(sort "$WORK/table-bytes" | awk '{ printf "%s%s %.1f MB", (NR > 1 ? ", " : ""), $1, $2 / 1e6 }')" >&2

# BENCH_MASK_KEEP=DIR keeps the dumps and rules there, per scale (for profiling the masker on them).
if [ -n "${BENCH_MASK_KEEP:-}" ]; then
  mkdir -p "$BENCH_MASK_KEEP/$SCALE"
  cp "$DUMP" "$SCRUB_DUMP" "$RULES" "$SCRUB_RULES" "$PASS_RULES" "$BENCH_MASK_KEEP/$SCALE"/
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$DUMP" "$SCRUB_DUMP" > /dev/null   # in the page cache before the first timed read
# filters PREFIX TOOL: the three filter runs of one build.
filters() {
  sample "${1}mask" "$2" -q filter --rules "$RULES" "$DUMP"
  sample "${1}pass" "$2" -q filter --rules "$PASS_RULES" "$DUMP"
  sample "${1}scrub" "$2" -q filter --rules "$SCRUB_RULES" "$SCRUB_DUMP"
}
# The same with the rows masked on JOBS threads (default 2), for this build only.
JOBS=${JOBS:-2}
filters_jobs() {
  sample mask_jobs "$TOOL" -q filter --jobs "$JOBS" --rules "$RULES" "$DUMP"
  sample scrub_jobs "$TOOL" -q filter --jobs "$JOBS" --rules "$SCRUB_RULES" "$SCRUB_DUMP"
}
for round in $(seq "$ROUNDS"); do
  sample cat cat "$DUMP"
  sample scrub_cat cat "$SCRUB_DUMP"
  # With BASE_TOOL the two builds take turns going first.
  if [ -n "${BASE_TOOL:-}" ] && [ $((round % 2)) = 0 ]; then
    filters base_ "$BASE_TOOL"; filters "" "$TOOL"
  else
    filters "" "$TOOL"; [ -z "${BASE_TOOL:-}" ] || filters base_ "$BASE_TOOL"
  fi
  filters_jobs
  if [ "$UPDATE_RAN" = 1 ]; then
    recreate r_update
    sample restore bash -c "$PSQL -d r_update < '$DUMP'"; rw=$T_WALL; rc=$T_CPU
    sample updates $PSQL -d r_update -f "$UPDATES"
    keep update_way "$(echo "$rw + $T_WALL" | bc)" "$(echo "$rc + $T_CPU" | bc)" 0
    UPDATE_DB_BYTES=$(db_size r_update); UPDATE_SAME=$($PSQL -At -d r_update -c "$SAME")
    PGOPTIONS="-c client_min_messages=warning" $PSQL -d postgres -c "DROP DATABASE r_update"
  fi
  recreate r_stream
  sample stream bash -o pipefail -c "'$TOOL' -q filter --rules '$RULES' '$DUMP' | $PSQL -d r_stream"
done
for name in "${!SAMPLES[@]}"; do median "$name"; done
STREAM_DB_BYTES=$(db_size r_stream)
SOURCE_DB_BYTES=$(db_size bench)

# Checks on the stream-masked copy.
for t in users accounts sessions verification_tokens events; do
  a=$($PSQL -At -d bench -c "SELECT count(*) FROM $t"); b=$($PSQL -At -d r_stream -c "SELECT count(*) FROM $t")
  [ "$a" = "$b" ] || fail "$t has $b rows in the masked copy, $a in the source"
done
n=$($PSQL -At -d r_stream -c "SELECT count(*) FROM users WHERE email NOT LIKE 'user\_%@test.example.com'")
[ "$n" = 0 ] || fail "$n users with an unmasked e-mail address"
EMAILS="SELECT email FROM users UNION SELECT identifier FROM verification_tokens"
$PSQL -At -d bench -c "$EMAILS" | LC_ALL=C sort > "$WORK/emails.source"
$PSQL -At -d r_stream -c "$EMAILS" | LC_ALL=C sort > "$WORK/emails.masked"
n=$(LC_ALL=C comm -12 "$WORK/emails.source" "$WORK/emails.masked" | wc -l)
[ "$n" = 0 ] || fail "$n source e-mail addresses left in the masked copy"
n=$($PSQL -At -d r_stream -c "SELECT count(*) FROM users WHERE image IS NOT NULL")
[ "$n" = 0 ] || fail "$n users still have an image"
if [ "$UPDATE_RAN" = 1 ]; then
  [ "$($PSQL -At -d r_stream -c "$SAME")" = "$UPDATE_SAME" ] \
    || fail "template-masked columns differ between the stream-masked and the UPDATE-masked copy"
fi
# The scrub-heavy output: no address or phone number of the tickets' text or meta left.
"$TOOL" -q filter --rules "$SCRUB_RULES" "$SCRUB_DUMP" -o "$WORK/scrubbed.sql"
$PSQL -At -d bench -c "SELECT DISTINCT m[1] FROM tickets, regexp_matches(body, '([a-z]+\.[0-9]+@[a-z.]+[a-z])', 'g') m
  UNION SELECT DISTINCT m[1] FROM tickets, regexp_matches(body, '(\+49 1[0-9]+ [0-9]{7})', 'g') m
  UNION SELECT meta->>'from' FROM tickets UNION SELECT meta->>'callback' FROM tickets" > "$WORK/ticket-pii"
[ -s "$WORK/ticket-pii" ] || fail "no personal data found in the tickets (generator broken?)"
n=$(grep -c -F -f "$WORK/ticket-pii" "$WORK/scrubbed.sql" || true)
[ "$n" = 0 ] || fail "$n lines of the scrubbed dump still hold an address or phone number of the tickets"
rm -f "$WORK/scrubbed.sql"
# Events passed through byte for byte.
SUM="SELECT md5(string_agg(e::text, ',' ORDER BY id)) FROM events e"
[ "$($PSQL -At -d r_stream -c "$SUM")" = "$($PSQL -At -d bench -c "$SUM")" ] || fail "events changed"

echo
echo "scale $SCALE: medians of $ROUNDS interleaved rounds"
printf '%-40s %8s %8s %8s %8s\n' "run" "wall s" "cpu s" "MB/s" "peak MB"
row() { printf '%-40s %8.3f %8.2f %8s %8s\n' "$1" "${WALL[$2]}" "${CPU[$2]}" "$(mbps "${WALL[$2]}")" "$3"; }
row "cat dump > /dev/null"                          cat     "$((${MEM[cat]} / 1024))"
row "mask-tool filter, example rules"               mask    "$((${MEM[mask]} / 1024))"
row "mask-tool filter, pass-through"                pass    "$((${MEM[pass]} / 1024))"
row "mask-tool filter --jobs $JOBS, example rules"     mask_jobs "$((${MEM[mask_jobs]} / 1024))"
if [ "$UPDATE_RAN" = 1 ]; then
  row "psql < dump"                                   restore "-"
  row "  then UPDATE masking"                         updates "-"
  row "UPDATE way: psql < dump + UPDATEs"             update_way "-"
fi
row "mask-tool filter | psql"                       stream  "$((${MEM[stream]} / 1024))"
if [ -n "${BASE_TOOL:-}" ]; then
  row "BASE_TOOL filter, example rules"             base_mask "$((${MEM[base_mask]} / 1024))"
  row "BASE_TOOL filter, pass-through"              base_pass "$((${MEM[base_pass]} / 1024))"
  echo "BASE_TOOL filter, scrub-heavy: $(smbps "${WALL[base_scrub]}") MB/s (this build $(smbps "${WALL[scrub]}") MB/s)"
  BASE_SUMMARY+=$(printf '%-6s %9s %9s %11s' "$SCALE" "$(mbps "${WALL[base_mask]}")" "$(mbps "${WALL[base_pass]}")" "$(smbps "${WALL[base_scrub]}")")$'\n'
fi
echo
echo "plain dump: $((DUMP_BYTES / 1000000)) MB ($ROWS users, $EVENTS events), $((MASKED_BYTES * 100 / DUMP_BYTES))% of it in masked tables"
echo "masker:       $(mbps "${WALL[mask]}") MB/s, $(mbps "${CPU[mask]}") MB per CPU second (target >= 300 on one core)"
# The masked tables alone: the masked run's time less what the kept bytes cost at pass-through speed.
MASKED_LANE=$(echo "scale=3; ${WALL[mask]} - ${WALL[pass]} * ($DUMP_BYTES - $MASKED_BYTES) / $DUMP_BYTES" | bc)
echo "              masked tables alone about $(echo "$MASKED_BYTES / $MASKED_LANE / 1000000" | bc) MB/s (estimate: masked run less the kept bytes at pass-through speed)"
echo "pass-through: $(mbps "${WALL[pass]}") MB/s, $(mbps "${CPU[pass]}") MB per CPU second (target >= 1000)"
echo "cat:          $(mbps "${WALL[cat]}") MB/s (the limit); masker at $(ratio "${WALL[cat]}" "${WALL[mask]}")x of it, pass-through at $(ratio "${WALL[cat]}" "${WALL[pass]}")x"
echo "peak memory:  mask-tool $((${MEM[mask]} / 1024)) MB masking, $((${MEM[pass]} / 1024)) MB pass-through (target <= 64)"
echo "scrub-heavy:  dump with tickets $((SCRUB_DUMP_BYTES / 1000000)) MB, $((SCRUBBED_BYTES * 100 / SCRUB_DUMP_BYTES))% of it in scrubbed free text and JSON;" \
  "mask-tool filter $(smbps "${WALL[scrub]}") MB/s, $(smbps "${CPU[scrub]}") MB per CPU second (target >= 800)," \
  "cat $(smbps "${WALL[scrub_cat]}") MB/s, peak $((${MEM[scrub]} / 1024)) MB (target <= 64)"
echo "threads:      --jobs $JOBS: example rules $(mbps "${WALL[mask_jobs]}") MB/s ($(ratio "${WALL[mask_jobs]}" "${WALL[mask]}")x of one thread's time)," \
  "scrub-heavy $(smbps "${WALL[scrub_jobs]}") MB/s ($(ratio "${WALL[scrub_jobs]}" "${WALL[scrub]}")x), peak $((${MEM[scrub_jobs]} / 1024)) MB"
if [ "$UPDATE_RAN" = 1 ]; then
  echo "stream vs UPDATE way: wall $(ratio "${WALL[stream]}" "${WALL[update_way]}")x of psql restore + UPDATEs ($(ratio "${WALL[stream]}" "${WALL[restore]}")x of the plain restore alone)"
  echo "database size: stream-masked $((STREAM_DB_BYTES / 1000000)) MB, UPDATE-masked $((UPDATE_DB_BYTES / 1000000)) MB ($(ratio "$STREAM_DB_BYTES" "$UPDATE_DB_BYTES")x), source $((SOURCE_DB_BYTES / 1000000)) MB"
  UPDATE_RATIO="$(ratio "${WALL[stream]}" "${WALL[update_way]}")x"
else
  echo "stream: wall ${WALL[stream]} s, $(ratio "${WALL[stream]}" "${WALL[cat]}")x of cat (the UPDATE way not run at this scale: UPDATE_SCALES=\"$UPDATE_SCALES\")"
  UPDATE_RATIO="-"
fi
echo "$(nproc) cores; load average $LOAD_BEFORE before, $(cut -d' ' -f1-3 /proc/loadavg) after"
SUMMARY+=$(printf '%-6s %7s %9s %9s %7s %11s %9s %9s %8s' "$SCALE" "$((DUMP_BYTES / 1000000))" \
  "$(mbps "${WALL[mask]}")" "$(mbps "${WALL[pass]}")" "$((SCRUB_DUMP_BYTES / 1000000))" "$(smbps "${WALL[scrub]}")" \
  "$(ratio "${WALL[cat]}" "${WALL[mask]}")x" "$UPDATE_RATIO" \
  "$(printf '%s\n' "${MEM[mask]}" "${MEM[pass]}" "${MEM[scrub]}" | sort -n | tail -1 | awk '{ print int($1 / 1024) }')")$'\n'
echo "checks: row counts equal, no source e-mail address in the masked copy, images gone, template values equal to the UPDATE way's, events unchanged, no address or phone number of the tickets left in the scrub-heavy output"
done

echo
echo "across sizes (medians of $ROUNDS interleaved rounds per scale; MB of dump per wall second, one core;"
echo "mask:cat is the example rules' speed as a share of cat's, stream:UPDATE the wall time of filter | psql"
echo "as a share of the UPDATE way's, peak MB the largest of the three filter runs):"
printf '%-6s %7s %9s %9s %7s %11s %9s %9s %8s\n' scale "dump MB" "mask MB/s" "pass MB/s" "scrub MB" "scrub MB/s" "mask:cat" "stream:UPDATE" "peak MB"
printf '%s' "$SUMMARY"
if [ -n "${BASE_TOOL:-}" ]; then
  echo "BASE_TOOL ($BASE_TOOL) in the same rounds:"
  printf '%-6s %9s %9s %11s\n' scale "mask MB/s" "pass MB/s" "scrub MB/s"
  printf '%s' "$BASE_SUMMARY"
fi
echo "targets: example rules >= 1500 MB/s, scrub-heavy >= 800 MB/s, pass-through >= 3000 MB/s, peak memory <= 64 MB"
