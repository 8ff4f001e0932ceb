#!/usr/bin/env bash
# shellcheck shell=bash
# Makes sure the stock age tools (age, age-keygen) are installed: the seal crate's tests check
# interoperability with them both ways. Installs Debian's `age` package with apt-get when
# missing (as root, or through sudo). Safe to run again; exits non-zero with a message when
# the tools are still missing afterwards.
#
#   bash scripts/lib/ensure-age.sh        # or: source it and call ensure_age

ensure_age() {
  if command -v age >/dev/null 2>&1 && command -v age-keygen >/dev/null 2>&1; then
    return 0
  fi
  echo "ensure-age: installing age (apt-get)..." >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "ensure-age: error: age is missing and neither root nor sudo is available to install it" >&2
      return 1
    fi
    sudo="sudo"
  fi
  $sudo apt-get update -qq >/dev/null 2>&1 || true
  if ! DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends age >/dev/null; then
    echo "ensure-age: error: apt-get install age failed" >&2
    return 1
  fi
  if ! command -v age >/dev/null 2>&1 || ! command -v age-keygen >/dev/null 2>&1; then
    echo "ensure-age: error: age or age-keygen still missing after installing the age package" >&2
    return 1
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -u
  ensure_age
fi
