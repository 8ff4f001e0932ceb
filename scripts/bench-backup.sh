#!/usr/bin/env bash
# Benchmark: backup-tool against the pipelines it replaces and the tools operators pick instead,
# measured side by side in one run, at several sizes so that growth is visible.
#
#   backup, gzip:  pg_dump | gzip -6 (the seeds' way)   vs  pg_dump | pigz, pg_dump -Fc,
#                  pg_dump -Fd -j2, backup-tool, backup-tool --jobs 2
#   backup, zstd:  pg_dump | zstd -3                    vs  backup-tool, backup-tool --jobs 2
#   restore:       gunzip | psql                        vs  pg_restore -j2 (of the -Fd dump),
#                  backup-tool restore, backup-tool restore --jobs 2
#   off-site:      backup-tool backup/restore with a local folder  vs  the same with a local S3
#                  server (s3s-fs, its own process on loopback), with and without --encrypt-to
#
# The database is the Prisma-style application of scripts/lib/bench-data.sh (about 320 MB of plain
# dump at scale 1). Each size runs ROUNDS interleaved rounds (default 3) and prints medians, the
# ratio of each run to the seeds' way, client CPU seconds, peak memory and bytes out.
#
#   scripts/bench-backup.sh                 # scales 0.1 0.3 1
#   SCALES="0.1" ROUNDS=1 scripts/bench-backup.sh
#   ONLY=off-site SCALES="0.1 0.3" scripts/bench-backup.sh   # only the groups starting so
#   ONLY="backup, zstd|restore" scripts/bench-backup.sh          # several prefixes, split at |
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SCALES=${SCALES:-"0.1 0.3 1"}
ROUNDS=${ROUNDS:-3}

source scripts/lib/bench-cluster.sh
source scripts/lib/bench-data.sh
source scripts/lib/s3-server.sh
bench_setup backup zstd pigz python3
s3_install
command -v age-keygen >/dev/null || bash scripts/lib/ensure-age.sh
# BACKUP_TOOL=/path/to/backup-tool measures that binary instead of the workspace's.
TOOL=${BACKUP_TOOL:-}
[ -n "$TOOL" ] || cargo build --release -q -p backup-tool
TOOL=${TOOL:-$ROOT/target/release/backup-tool}
PORT=$(free_port)
export PGPORT=$PORT
start_cluster data "$PORT"
PSQL="$BIN/psql -X -q -v ON_ERROR_STOP=1"
URL="postgresql://postgres@127.0.0.1:$PORT"
O="$WORK/out"
mkdir -p "$O"
[ "$(id -u)" -eq 0 ] && chown postgres: "$O"
s3_start "$WORK/s3"
trap 's3_stop; bench_cleanup' EXIT
s3_create_bucket bench
age-keygen -o "$WORK/key.txt" 2>/dev/null
chmod 600 "$WORK/key.txt"
RECIPIENT=$(sed -n 's/^# public key: //p' "$WORK/key.txt")

for SCALE in $SCALES; do
  echo "generating the application database at scale $SCALE..." >&2
  make_app_db app "$SCALE"
  DUMP_MB=$(( $("$BIN/pg_dump" -d app | wc -c) / 1000000 ))
  # Reference files for the restores, made once per size.
  rm -rf "$WORK/ref" && mkdir -p "$WORK/ref"
  "$BIN/pg_dump" -d app | gzip -6 > "$WORK/ref/app.sql.gz"
  "$BIN/pg_dump" -d app -Fd -j2 -f "$WORK/ref/app.dir"
  "$TOOL" -q backup --db "$URL/app" --dir "$WORK/ref" --name serial >/dev/null
  "$TOOL" -q backup --db "$URL/app" --dir "$WORK/ref" --name par --jobs 2 >/dev/null
  SERIAL=$(ls "$WORK/ref"/serial_*.sql.gz | head -1)
  PAR=$(ls "$WORK/ref"/par_*.sql.gz | head -1)
  rm -rf "$S3_DATA_DIR/bench/ref"
  S3REF=$("$TOOL" -q backup --db "$URL/app" --dir s3://bench/ref --name s3)
  S3ENC=$("$TOOL" -q backup --db "$URL/app" --dir s3://bench/ref --name s3enc --encrypt-to "$RECIPIENT")
  "$TOOL" -q backup --db "$URL/app" --dir "$WORK/ref" --name enc --encrypt-to "$RECIPIENT" >/dev/null
  ENC=$(ls "$WORK/ref"/enc_*.sql.gz.age | head -1)
  export O BIN TOOL URL WORK SERIAL PAR PSQL S3REF S3ENC ENC RECIPIENT S3_DATA_DIR
  python3 - "$WORK/spec.json" <<'PY'
import json, os, sys
e = os.environ
O, B, T, U, W, P = e["O"], e["BIN"], e["TOOL"], e["URL"], e["WORK"], e["PSQL"]
clean = f"rm -rf {O}/*"
size = lambda pattern: f"du -cb {pattern} | tail -1 | cut -f1"
fresh = f"{P} -d postgres -c 'DROP DATABASE IF EXISTS r' -c 'CREATE DATABASE r'"
drop = f"{P} -d postgres -c 'DROP DATABASE IF EXISTS r'"
# The restored copy must hold what the source holds.
check = (f"test \"$({P} -At -d r -c 'SELECT count(*), sum(length(payload::text)) FROM events')\" = "
         f"\"$({P} -At -d app -c 'SELECT count(*), sum(length(payload::text)) FROM events')\"")
v = [
  dict(group="backup, gzip", name="pipe_gzip", label="pg_dump | gzip -6", base=True, before=clean,
       cmd=f"{B}/pg_dump -d app | gzip -6 > {O}/a.sql.gz", bytes=size(f"{O}/a.sql.gz")),
  dict(group="backup, gzip", name="pigz", label="pg_dump | pigz -6", before=clean,
       cmd=f"{B}/pg_dump -d app | pigz -6 > {O}/a.sql.gz", bytes=size(f"{O}/a.sql.gz")),
  dict(group="backup, gzip", name="fc", label="pg_dump -Fc", before=clean,
       cmd=f"{B}/pg_dump -d app -Fc -f {O}/a.dump", bytes=size(f"{O}/a.dump")),
  dict(group="backup, gzip", name="fd", label="pg_dump -Fd -j2", before=clean,
       cmd=f"{B}/pg_dump -d app -Fd -j2 -f {O}/a.dir", bytes=size(f"{O}/a.dir")),
  dict(group="backup, gzip", name="tool_gzip", label="backup-tool backup", before=clean,
       cmd=f"{T} -q backup --db {U}/app --dir {O} --name t", bytes=size(f"{O}/t_*.sql.gz")),
  dict(group="backup, gzip", name="tool_gzip_j2", label="backup-tool backup --jobs 2", before=clean,
       cmd=f"{T} -q backup --db {U}/app --dir {O} --name t --jobs 2", bytes=size(f"{O}/t_*.sql.gz")),
  dict(group="backup, zstd", name="pipe_zstd", label="pg_dump | zstd -3", base=True, before=clean,
       cmd=f"{B}/pg_dump -d app | zstd -q -3 > {O}/a.sql.zst", bytes=size(f"{O}/a.sql.zst")),
  dict(group="backup, zstd", name="tool_zstd", label="backup-tool backup --compress zstd:3", before=clean,
       cmd=f"{T} -q backup --db {U}/app --dir {O} --name t --compress zstd:3", bytes=size(f"{O}/t_*.sql.zst")),
  dict(group="backup, zstd", name="tool_zstd_j2", label="backup-tool backup --compress zstd:3 --jobs 2", before=clean,
       cmd=f"{T} -q backup --db {U}/app --dir {O} --name t --compress zstd:3 --jobs 2", bytes=size(f"{O}/t_*.sql.zst")),
  dict(group="restore", name="gunzip_psql", label="gunzip | psql", base=True, before=fresh, after=check,
       cmd=f"gunzip < {W}/ref/app.sql.gz | {B}/psql -X -q -v ON_ERROR_STOP=1 -d r"),
  dict(group="restore", name="pg_restore_j2", label="pg_restore -j2 (of the -Fd dump)", before=fresh, after=check,
       cmd=f"{B}/pg_restore -j2 -d r {W}/ref/app.dir"),
  dict(group="restore", name="tool_restore_into", label="backup-tool restore (into the empty database)", before=fresh, after=check,
       cmd=f"{T} -q restore {e['SERIAL']} --db {U}/r"),
  dict(group="restore", name="tool_restore", label="backup-tool restore --create", before=drop, after=check,
       cmd=f"{T} -q restore {e['SERIAL']} --db {U}/r --create"),
  dict(group="restore", name="tool_restore_j2", label="backup-tool restore --create --jobs 2", before=drop, after=check,
       cmd=f"{T} -q restore {e['PAR']} --db {U}/r --create --jobs 2"),
]
# Off-site: the same backup and restore into a local folder and into the local S3 server.
s3clean = f"rm -rf {e['S3_DATA_DIR']}/bench/out"
s3size = (f"{T} -q list --dir s3://bench/out --json | python3 -c "
          "'import json,sys; print(sum(b[\"manifest\"][\"size\"] for b in json.load(sys.stdin)[\"backups\"]))'")
R, K = e["RECIPIENT"], f"{W}/key.txt"
v += [
  dict(group="off-site backup", name="local", label="backup-tool backup --dir DIR", base=True, before=clean,
       cmd=f"{T} -q backup --db {U}/app --dir {O} --name t", bytes=size(f"{O}/t_*.sql.gz")),
  dict(group="off-site backup", name="local_enc", label="backup-tool backup --dir DIR --encrypt-to", before=clean,
       cmd=f"{T} -q backup --db {U}/app --dir {O} --name t --encrypt-to {R}", bytes=size(f"{O}/t_*.sql.gz.age")),
  dict(group="off-site backup", name="s3", label="backup-tool backup --dir s3://", before=s3clean,
       cmd=f"{T} -q backup --db {U}/app --dir s3://bench/out --name t", bytes=s3size),
  dict(group="off-site backup", name="s3_enc", label="backup-tool backup --dir s3:// --encrypt-to", before=s3clean,
       cmd=f"{T} -q backup --db {U}/app --dir s3://bench/out --name t --encrypt-to {R}", bytes=s3size),
  dict(group="off-site restore", name="local_r", label="backup-tool restore FILE", base=True, before=drop, after=check,
       cmd=f"{T} -q restore {e['SERIAL']} --db {U}/r --create"),
  dict(group="off-site restore", name="local_enc_r", label="backup-tool restore FILE.age --identity", before=drop, after=check,
       cmd=f"{T} -q restore {e['ENC']} --identity {K} --db {U}/r --create"),
  dict(group="off-site restore", name="s3_r", label="backup-tool restore s3://…", before=drop, after=check,
       cmd=f"{T} -q restore {e['S3REF']} --db {U}/r --create"),
  dict(group="off-site restore", name="s3_enc_r", label="backup-tool restore s3://….age --identity", before=drop, after=check,
       cmd=f"{T} -q restore {e['S3ENC']} --identity {K} --db {U}/r --create"),
]
if e.get("ONLY"):
    v = [x for x in v if any(x["group"].startswith(o) for o in e["ONLY"].split("|"))]
json.dump(v, open(sys.argv[1], "w"))
PY
  python3 scripts/lib/bench.py "$WORK/spec.json" --rounds "$ROUNDS" \
    --title "scale $SCALE: plain dump $DUMP_MB MB, $ROUNDS interleaved rounds, medians" \
    --out "$ROOT/target/bench-backup-$SCALE.json"
done
echo
echo "targets: gzip backup --jobs <= 0.40x pg_dump|gzip -6 at size <= 1.0x and <= 0.9x pg_dump -Fd -j2;"
echo "         zstd --jobs <= 0.70x pg_dump|zstd -3; restore <= 0.9x gunzip|psql;"
echo "         restore --jobs 2 <= 0.75x gunzip|psql and <= 0.95x pg_restore -j2;"
echo "         off-site: s3:// <= 1.15x the local folder, --encrypt-to adds <= 10%; peak RSS <= 128 MB"
