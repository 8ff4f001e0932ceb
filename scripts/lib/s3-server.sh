# shellcheck shell=bash
# A throw-away S3-compatible server (s3s-fs, from crates.io) for tests and benchmarks.
# Source this file, then:
#
#   s3_install              # installs s3s-fs into target/tools if missing (idempotent)
#   s3_start "$tmpdir"      # fresh data folder, free loopback port, random keys; exports AWS_*
#   trap s3_stop EXIT       # the caller owns the trap; s3_stop is safe to call twice
#   s3_create_bucket NAME   # a bucket is a sub-folder of the data folder for s3s-fs
#
# After s3_start: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION(=us-east-1),
# AWS_DEFAULT_REGION, AWS_ALLOW_HTTP=true and AWS_VIRTUAL_HOSTED_STYLE_REQUEST=false are exported;
# S3_PID, S3_PORT, S3_DATA_DIR and S3_LOG are set. Other AWS_* variables that would change where
# requests go or how they are signed are unset, so a developer's own AWS setup cannot leak in.
#
# Secrets: s3s-fs 0.14.1 accepts the keys only as --access-key/--secret-key arguments (no env
# variable, no file), so they are visible in /proc/PID/cmdline to local users while it runs. They are
# random per run and the server listens on 127.0.0.1 only.
#
# Every function returns non-zero with a message on stderr when something is wrong; with `set -e`
# in the caller that stops the script.

S3S_FS_VERSION="${S3S_FS_VERSION:-0.14.1}"
S3_TOOLS_ROOT="${S3_TOOLS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/target/tools}"
S3S_FS_BIN="$S3_TOOLS_ROOT/bin/s3s-fs"
S3_START_TIMEOUT="${S3_START_TIMEOUT:-30}" # seconds

_s3_err() { echo "s3-server: error: $*" >&2; }

_s3_have_right_version() {
  [ -x "$S3S_FS_BIN" ] && [ "$("$S3S_FS_BIN" --version 2>/dev/null)" = "s3s-fs $S3S_FS_VERSION" ]
}

s3_install() {
  _s3_have_right_version && return 0
  command -v cargo >/dev/null 2>&1 || { _s3_err "cargo not found; needed to install s3s-fs"; return 1; }
  mkdir -p "$S3_TOOLS_ROOT" || { _s3_err "cannot create $S3_TOOLS_ROOT"; return 1; }
  echo "s3-server: installing s3s-fs $S3S_FS_VERSION into $S3_TOOLS_ROOT (cargo install, ~1.5 min)..." >&2
  local rc=0
  (
    # Two scripts installing at once must not race on the same root.
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$S3_TOOLS_ROOT/.s3s-fs-install.lock"
      flock 9
    fi
    _s3_have_right_version && exit 0
    cargo install --quiet --locked --force --root "$S3_TOOLS_ROOT" \
      "s3s-fs@$S3S_FS_VERSION" --features binary
  ) || rc=$?
  if [ "$rc" -ne 0 ]; then
    _s3_err "cargo install s3s-fs@$S3S_FS_VERSION failed (exit $rc)"
    return 1
  fi
  _s3_have_right_version || {
    _s3_err "$S3S_FS_BIN missing or not version $S3S_FS_VERSION after install"
    return 1
  }
}

_s3_random_hex() { # $1 = number of bytes
  od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# Does something answer HTTP on 127.0.0.1:$1? (s3s-fs answers an unsigned GET / with 403.)
_s3_answers() {
  timeout 2 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
    IFS= read -r line <&3 || exit 1
    case "$line" in HTTP/1.?\ [0-9][0-9][0-9]*) exit 0 ;; *) exit 1 ;; esac
  ' _ "$1" 2>/dev/null
}

s3_start() {
  local dir="${1:-}"
  [ -n "$dir" ] || { _s3_err "usage: s3_start DIR"; return 2; }
  if [ -n "${S3_PID:-}" ] && kill -0 "$S3_PID" 2>/dev/null; then
    _s3_err "already running (pid $S3_PID); call s3_stop first"
    return 1
  fi
  s3_install || return 1

  mkdir -p "$dir" || { _s3_err "cannot create $dir"; return 1; }
  dir="$(cd "$dir" && pwd)"
  S3_DATA_DIR="$dir/s3-data"
  S3_LOG="$dir/s3s-fs.log"
  rm -rf "$S3_DATA_DIR" && mkdir -p "$S3_DATA_DIR" || { _s3_err "cannot create $S3_DATA_DIR"; return 1; }
  : >"$S3_LOG"

  local access_key secret_key
  access_key="AK$(_s3_random_hex 9 | tr 'a-f' 'A-F')"
  secret_key="$(_s3_random_hex 20)"

  # --port 0: the kernel picks a free port (no race with other tests); s3s-fs logs the address it
  # bound at INFO level, which RUST_LOG makes visible.
  RUST_LOG="s3s_fs=info,s3s=warn" "$S3S_FS_BIN" --host 127.0.0.1 --port 0 \
    --access-key "$access_key" --secret-key "$secret_key" "$S3_DATA_DIR" >"$S3_LOG" 2>&1 &
  S3_PID=$!

  local deadline=$((SECONDS + S3_START_TIMEOUT)) port=""
  while :; do
    if ! kill -0 "$S3_PID" 2>/dev/null; then
      wait "$S3_PID" 2>/dev/null
      _s3_err "s3s-fs exited during start-up; its log ($S3_LOG):"
      sed 's/^/  /' "$S3_LOG" >&2
      S3_PID=""
      return 1
    fi
    if [ -z "$port" ]; then
      port="$(sed -n 's#.*server is running at http://127\.0\.0\.1:\([0-9][0-9]*\).*#\1#p' "$S3_LOG" | head -n1)"
    fi
    if [ -n "$port" ] && _s3_answers "$port"; then
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      _s3_err "s3s-fs did not answer within ${S3_START_TIMEOUT}s (port '${port:-unknown}'); log ($S3_LOG):"
      sed 's/^/  /' "$S3_LOG" >&2
      s3_stop
      return 1
    fi
    sleep 0.05
  done
  S3_PORT="$port"

  unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN AWS_ENDPOINT AWS_ENDPOINT_URL_S3 \
    AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_SKIP_SIGNATURE \
    AWS_BUCKET AWS_BUCKET_NAME
  export AWS_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
  export AWS_ACCESS_KEY_ID="$access_key"
  export AWS_SECRET_ACCESS_KEY="$secret_key"
  export AWS_REGION=us-east-1
  export AWS_DEFAULT_REGION=us-east-1
  export AWS_ALLOW_HTTP=true
  export AWS_VIRTUAL_HOSTED_STYLE_REQUEST=false
  export S3_PID S3_PORT S3_DATA_DIR S3_LOG
  echo "s3-server: s3s-fs $S3S_FS_VERSION (pid $S3_PID) at $AWS_ENDPOINT_URL, data in $S3_DATA_DIR" >&2
}

# s3s-fs maps bucket NAME to the folder DATA/NAME (its CreateBucket does exactly this mkdir).
s3_create_bucket() {
  local name="${1:-}"
  [ -n "$name" ] || { _s3_err "usage: s3_create_bucket NAME"; return 2; }
  [ -n "${S3_DATA_DIR:-}" ] || { _s3_err "s3_create_bucket: no server started"; return 1; }
  case "$name" in
    */* | .* | *[!a-z0-9.-]*) _s3_err "invalid bucket name: $name"; return 2 ;;
  esac
  mkdir -p "$S3_DATA_DIR/$name"
}

s3_stop() {
  local pid="${S3_PID:-}"
  S3_PID=""
  [ -n "$pid" ] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
      _s3_err "s3s-fs (pid $pid) ignored SIGTERM for 10s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
  unset AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY S3_PORT
  return 0
}
