#!/usr/bin/env bash
# bashgah's two commands. Each installs what is missing, builds, and then runs or tests.
#
#   bash app/scripts/dev.sh run    # build and serve http://127.0.0.1:3000 with a demo club
#   bash app/scripts/dev.sh test   # the whole test suite, SQLite and PostgreSQL, browser included
#
# Environment: CARGO_TARGET_DIR (build cache, default ./target), BASHGAH_PROFILE (debug|release).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
PROFILE=${BASHGAH_PROFILE:-debug}
SITE=$TARGET/site
WASM_TARGET=wasm32-unknown-unknown
PG_URL=${BASHGAH_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" ||
    { as_root apt-get --fix-broken install -y -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@"; }
}

# The wasm32 standard library comes from rustup where it can download, else from Debian's
# rustc-web (a newer compiler that builds std from source). The choice is kept in the target dir.
wasm_toolchain() {
  local choice_file=$TARGET/.wasm-toolchain
  mkdir -p "$TARGET"
  if [ -f "$choice_file" ]; then cat "$choice_file"; return; fi
  local choice
  if rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    choice=rustup
  elif timeout 180 rustup target add "$WASM_TARGET" >&2; then
    choice=rustup
  else
    say "rustup cannot fetch $WASM_TARGET; using Debian's rustc-web with -Zbuild-std" >&2
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22 >&2
    choice=debian
  fi
  echo "$choice" > "$choice_file"
  echo "$choice"
}

locked_version() { # the version of a package in Cargo.lock
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_bindgen() {
  local want have
  want=$(locked_version wasm-bindgen)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock; takes several minutes once)"
    cargo install wasm-bindgen-cli --version "$want" --force
  fi
}

build_front() {
  local toolchain profile_flag out wasm_dir
  toolchain=$(wasm_toolchain)
  ensure_wasm_bindgen
  if [ "$PROFILE" = release ]; then profile_flag=(--profile wasm-release); out=wasm-release; else profile_flag=(); out=debug; fi
  say "building the front end (wasm, $toolchain toolchain): the app, and the verifier the audit page loads"
  # Two modules: the app every page loads, and the bundle verifier (BLS12-381, Ed25519) that
  # only the audit page fetches.
  local packages=(-p app -p verifier --lib --target "$WASM_TARGET" --no-default-features --features app/hydrate)
  if [ "$toolchain" = rustup ]; then
    cargo build "${packages[@]}" "${profile_flag[@]}"
    wasm_dir=$TARGET/$WASM_TARGET/$out
  else
    RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 /usr/bin/cargo build "${packages[@]}" "${profile_flag[@]}" \
      --target-dir "$TARGET/front-debian" -Zbuild-std=std,panic_abort
    wasm_dir=$TARGET/front-debian/$WASM_TARGET/$out
  fi
  mkdir -p "$SITE/pkg"
  # A release bundle drops the names section (debug keeps it for readable panics).
  local strip=()
  if [ "$PROFILE" = release ]; then strip=(--remove-name-section --remove-producers-section); fi
  wasm-bindgen --target web --no-typescript "${strip[@]}" --out-dir "$SITE/pkg" --out-name bashgah "$wasm_dir/app.wasm"
  wasm-bindgen --target web --no-typescript "${strip[@]}" --out-dir "$SITE/pkg" --out-name verifier "$wasm_dir/verifier.wasm"
  cp -r public/. "$SITE/"
}

build_server() {
  say "building the server"
  if [ "$PROFILE" = release ]; then cargo build -p app --bin bashgah --release; else cargo build -p app --bin bashgah; fi
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  if ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL"
    apt_install postgresql
  fi
  say "starting PostgreSQL"
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432
  # Local trust for the test role, as on the developers' machines.
  as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD NULL\"" >/dev/null 2>&1 || true
}

REDIS_URL_FOR_TESTS=${BASHGAH_TEST_REDIS:-redis://127.0.0.1:6379}

# The contest tests hold the Redis leaderboard to the SQL one, so a Redis must answer.
ensure_redis() {
  if command -v redis-cli >/dev/null && redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return; fi
  if ! command -v redis-server >/dev/null; then
    say "installing Redis"
    apt_install redis-server
  fi
  say "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p 6379 ping
}

ensure_test_tools() {
  command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and ChromeDriver for the browser tests"
    apt_install chromium chromium-driver
  fi
  command -v python3 >/dev/null || apt_install python3
  ensure_postgres
  ensure_redis
}

drop_test_databases() {
  psql "$PG_URL" -Atqc "SELECT datname FROM pg_database WHERE datname LIKE 'bashgah_t_%'" 2>/dev/null |
    while read -r db; do psql "$PG_URL" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true; done
}

case "${1:-}" in
  run)
    build_front
    build_server
    bin=$TARGET/$([ "$PROFILE" = release ] && echo release || echo debug)/bashgah
    BASHGAH_SITE_ROOT=$SITE exec "$bin" serve --demo
    ;;
  test)
    ensure_test_tools
    build_front
    # The process tests (two instances, kill -9) start the real binary.
    build_server
    drop_test_databases
    # SQLite files of earlier runs: each test makes its own, and none is needed again.
    rm -rf "${TMPDIR:-/tmp}/bashgah-tests"
    say "running the tests"
    BASHGAH_TEST_SITE_ROOT=$SITE BASHGAH_TEST_POSTGRES=$PG_URL BASHGAH_TEST_REDIS=$REDIS_URL_FOR_TESTS \
      BASHGAH_TEST_BIN=$TARGET/$([ "$PROFILE" = release ] && echo release || echo debug)/bashgah \
      cargo nextest run --workspace --no-fail-fast
    ;;
  *)
    echo "usage: bash app/scripts/dev.sh run|test" >&2
    exit 2
    ;;
esac
