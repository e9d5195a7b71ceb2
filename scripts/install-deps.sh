#!/usr/bin/env bash
# Installs the Debian packages Glint builds with, only those that are missing.
set -euo pipefail
packages=(cmake ninja-build g++ ccache mold libfmt-dev libcli11-dev nlohmann-json3-dev
          libgtest-dev libgmock-dev libbenchmark-dev librocksdb-dev
          libreadline-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# DuckDB, the reference engine of the SQL differential tests (tests/sql/differential/), from npm
# into scripts/duckdb/node_modules (kept out of git). Skipped when already installed, so repeated
# runs cost nothing; a failure (offline machine) only warns: those tests then skip themselves.
duckdb_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/duckdb"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Installing: nodejs npm"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm; } ||
    echo "warning: could not install Node.js; the DuckDB differential tests will be skipped" >&2
fi
if command -v npm >/dev/null 2>&1 && [ ! -d "$duckdb_dir/node_modules/@duckdb/node-api" ]; then
  echo "Installing the npm package @duckdb/node-api into $duckdb_dir"
  (cd "$duckdb_dir" && npm install --no-audit --no-fund --loglevel=error) ||
    echo "warning: npm could not install @duckdb/node-api; the DuckDB differential tests will be skipped" >&2
fi
