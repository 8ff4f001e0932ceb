#!/usr/bin/env bash
# Benchmark: backup-tool against the shell pipelines it replaces, measured in the same run.
#
#   pg_dump | gzip -6 > f        vs  backup-tool backup --compress gzip:6
#   pg_dump | zstd -3 > f        vs  backup-tool backup --compress zstd:3
#   gunzip < f | psql            vs  backup-tool restore f --create
#
# It starts its own throw-away PostgreSQL cluster, generates a database whose plain dump is a few
# hundred MB (SIZE_ROWS scales it), and prints wall time, CPU time, bytes out and peak memory, with
# the ratios. Timings on shared machines drift; ratios measured side by side hold. Each pair is
# measured ROUNDS times (default 2) and the best wall time of each side is compared.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
ROWS=${SIZE_ROWS:-1500000}
ROUNDS=${ROUNDS:-2}

source scripts/lib/bench-cluster.sh
bench_setup backup zstd bc python3
cargo build --release -q -p backup-tool
TOOL="$ROOT/target/release/backup-tool"
PORT=$(free_port)
export PGPORT=$PORT
start_cluster data "$PORT"

PSQL="$BIN/psql -X -q -v ON_ERROR_STOP=1"
PG_DUMP="$BIN/pg_dump"
echo "generating the benchmark database ($ROWS users, $((ROWS * 4 / 3)) events)..." >&2
$PSQL -d postgres -c "CREATE DATABASE bench"
$PSQL -d bench <<SQL
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, name text NOT NULL, phone text, created_at timestamptz NOT NULL, bio text);
CREATE TABLE events (id bigint PRIMARY KEY, user_id bigint NOT NULL, kind text NOT NULL, payload jsonb, at timestamptz NOT NULL);
INSERT INTO users SELECT g, 'user' || g || '@' || (ARRAY['example.com','mail.test','corp.example'])[1 + g % 3],
  initcap(substr(md5(g::text), 1, 6)) || ' ' || initcap(substr(md5((g * 7)::text), 1, 9)),
  '+49 ' || (1500000000 + (g * 7919) % 99999999)::text,
  timestamptz '2024-01-01' + (g % 86400) * interval '17 minutes',
  CASE WHEN g % 4 = 0 THEN NULL ELSE 'Bio ' || md5(g::text) || ' likes ' || substr(md5((g * 3)::text), 1, 12) END
FROM generate_series(1::bigint, $ROWS) g;
INSERT INTO events SELECT g, 1 + (g * 31) % $ROWS, (ARRAY['login','upload','share','delete','comment'])[1 + g % 5],
  jsonb_build_object('ip', '10.' || (g % 256) || '.' || (g * 7 % 256) || '.' || (g * 13 % 256), 'ua', 'agent/' || (g % 40), 'n', g % 1000),
  timestamptz '2025-01-01' + g * interval '3 seconds'
FROM generate_series(1::bigint, $ROWS * 4 / 3) g;
ANALYZE;
SQL
DUMP_BYTES=$($PG_DUMP -d bench | wc -c)
echo "plain dump size: $((DUMP_BYTES / 1000000)) MB" >&2

# measure NAME CMD... : runs CMD under /usr/bin/time, records wall seconds, CPU seconds and peak KB.
declare -A WALL CPU MEM
measure() {
  local name=$1; shift
  local best_wall="" best_cpu="" best_mem=""
  for _ in $(seq "$ROUNDS"); do
    [ -n "${BEFORE_EACH:-}" ] && eval "$BEFORE_EACH"
    /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; echo "$name failed" >&2; exit 1; }
    read -r w u s m < "$WORK/time"
    local c; c=$(echo "$u + $s" | bc)
    if [ -z "$best_wall" ] || (( $(echo "$w < $best_wall" | bc) )); then best_wall=$w; best_cpu=$c; best_mem=$m; fi
  done
  WALL[$name]=$best_wall; CPU[$name]=$best_cpu; MEM[$name]=$best_mem
}
ratio() { echo "scale=2; $1 / $2" | bc; }

OUT="$WORK/out"; mkdir -p "$OUT"
BEFORE_EACH='rm -rf "$OUT"/*'
measure pg_dump_only sh -c "$PG_DUMP -d bench > /dev/null"
measure pipe_gzip sh -c "$PG_DUMP -d bench | gzip -6 > '$OUT/pipe.sql.gz'"
GZIP_PIPE_BYTES=$(stat -c %s "$OUT/pipe.sql.gz")
measure tool_gzip "$TOOL" -q backup --db postgresql://postgres@127.0.0.1:$PORT/bench --dir "$OUT" --name tool --compress gzip:6
TOOL_GZ=$(ls "$OUT"/tool_*.sql.gz); TOOL_GZIP_BYTES=$(stat -c %s "$TOOL_GZ")
cp "$TOOL_GZ" "$TOOL_GZ.manifest.json" "$WORK/"
GZ_FILE="$WORK/$(basename "$TOOL_GZ")"
measure pipe_zstd sh -c "$PG_DUMP -d bench | zstd -q -3 > '$OUT/pipe.sql.zst'"
ZSTD_PIPE_BYTES=$(stat -c %s "$OUT/pipe.sql.zst")
measure tool_zstd "$TOOL" -q backup --db postgresql://postgres@127.0.0.1:$PORT/bench --dir "$OUT" --name tool --compress zstd:3
TOOL_ZSTD_BYTES=$(stat -c %s "$(ls "$OUT"/tool_*.sql.zst)")

# Both restore into a new, empty database created before the clock starts (gunzip | psql
# cannot create one). backup-tool also checks the file's sha256 before writing anything.
BEFORE_EACH='$PSQL -d postgres -c "DROP DATABASE IF EXISTS r_pipe" -c "DROP DATABASE IF EXISTS r_tool" -c "CREATE DATABASE r_pipe" -c "CREATE DATABASE r_tool"'
measure restore_pipe sh -c "gunzip < '$GZ_FILE' | $PSQL -d r_pipe"
measure restore_tool "$TOOL" -q restore "$GZ_FILE" --db postgresql://postgres@127.0.0.1:$PORT/r_tool
# The restored copies hold the same rows.
for t in users events; do
  a=$($PSQL -At -d bench -c "SELECT count(*) FROM $t"); b=$($PSQL -At -d r_tool -c "SELECT count(*) FROM $t")
  [ "$a" = "$b" ] || { echo "restore check failed for $t: $a vs $b" >&2; exit 1; }
done

printf '\n%-34s %8s %8s %12s %9s\n' "run" "wall s" "cpu s" "bytes out" "peak MB"
row() { printf '%-34s %8s %8s %12s %9s\n' "$1" "${WALL[$2]}" "${CPU[$2]}" "$3" "$((${MEM[$2]} / 1024))"; }
row "pg_dump > /dev/null"            pg_dump_only "-"
row "pg_dump | gzip -6"              pipe_gzip    "$GZIP_PIPE_BYTES"
row "backup-tool --compress gzip:6"  tool_gzip    "$TOOL_GZIP_BYTES"
row "pg_dump | zstd -3"              pipe_zstd    "$ZSTD_PIPE_BYTES"
row "backup-tool --compress zstd:3"  tool_zstd    "$TOOL_ZSTD_BYTES"
row "gunzip | psql"                  restore_pipe "-"
row "backup-tool restore"            restore_tool "-"
echo
echo "plain dump: $((DUMP_BYTES / 1000000)) MB"
echo "gzip backup:  wall $(ratio "${WALL[tool_gzip]}" "${WALL[pipe_gzip]}")x of pg_dump|gzip -6 (target <= 0.6), size $(ratio "$TOOL_GZIP_BYTES" "$GZIP_PIPE_BYTES")x (target <= 1.02)"
echo "zstd backup:  wall $(ratio "${WALL[tool_zstd]}" "${WALL[pipe_zstd]}")x of pg_dump|zstd -3 (target <= 1.05), size $(ratio "$TOOL_ZSTD_BYTES" "$ZSTD_PIPE_BYTES")x"
echo "restore:      wall $(ratio "${WALL[restore_tool]}" "${WALL[restore_pipe]}")x of gunzip|psql (target <= 1.0)"
echo "peak memory:  backup-tool gzip $((${MEM[tool_gzip]} / 1024)) MB, zstd $((${MEM[tool_zstd]} / 1024)) MB, restore $((${MEM[restore_tool]} / 1024)) MB (target <= 64; includes children)"
