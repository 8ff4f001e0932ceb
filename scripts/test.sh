#!/usr/bin/env bash
# Runs every test of the workspace. The integration tests start their own throw-away PostgreSQL
# cluster, so the PostgreSQL server programs must be installed: when initdb is missing they are
# installed here with apt-get (as root, or through sudo).
set -euo pipefail
cd "$(dirname "$0")/.."

have_server() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

if ! have_server || ! command -v gzip >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1; then
  echo "installing PostgreSQL server and client programs (apt-get)..." >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    postgresql postgresql-client gzip coreutils openssl >/dev/null
fi
have_server || { echo "error: initdb still not found after installing PostgreSQL" >&2; exit 1; }

# Off-site storage tests: a real S3-compatible server (s3s-fs, built from crates.io into
# target/tools once), the stock age tools and ssh-keygen (recipients of both kinds).
# shellcheck source=lib/s3-server.sh
source scripts/lib/s3-server.sh
s3_install
bash scripts/lib/ensure-age.sh
# The other programs the tests run: ssh-keygen (recipients), the shells whose completion
# scripts are parsed (bash, zsh, fish), man and groff (man pages), tmux (a terminal for the
# progress bars), systemd-analyze (the generated units), sqlite3 and zstd (results read back
# by hand).
missing=()
for need in ssh-keygen:openssh-client zsh:zsh fish:fish man:man-db groff:groff-base tmux:tmux \
    systemd-analyze:systemd sqlite3:sqlite3 zstd:zstd; do
  command -v "${need%%:*}" >/dev/null 2>&1 || missing+=("${need#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (apt-get)..." >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The integration tests run the real binaries; build them first.
cargo build --workspace --bins
# Formatting as rustfmt writes it, lints as errors, and the import structure (no cycle, layers
# one way).
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
python3 scripts/check-imports.py
# The leaf crates stay leaves: the masking engine and the dump reader pull in no database
# driver, no async runtime, no C library.
for crate in dump mask; do
  if cargo tree -p "$crate" -e normal --prefix none | awk '{print $1}' \
      | grep -Exq 'tokio|tokio-postgres|postgres|rusqlite|libsqlite3-sys|zstd-sys|common'; then
    echo "error: crate $crate depends on a database driver, an async runtime or a C library:" >&2
    cargo tree -p "$crate" -e normal >&2
    exit 1
  fi
done
cargo test --workspace "$@"
