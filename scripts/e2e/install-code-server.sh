#!/usr/bin/env bash
# Installs VS Code 1.100.3 (served by code-server 4.100.3, which still runs on
# Node 20) plus the system packages the end-to-end tests need, into a cache
# folder outside the repository. Idempotent: a complete cache (marker file
# present) is reused as is; an incomplete one is wiped and rebuilt.
#
#   SEGSPEC_E2E_CACHE   cache root (default: $HOME/.cache/segspec-e2e)
#
# Prints the code-server folder on its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
CACHE_ROOT="${SEGSPEC_E2E_CACHE:-$HOME/.cache/segspec-e2e}"
CS="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
MARKER="$CS/.segspec-install-complete"
VSCODE_DIR="$CS/node_modules/code-server/lib/vscode"

log() { printf '[install-code-server] %s\n' "$*" >&2; }

install_system_packages() {
  local missing=()
  local pkg
  for pkg in libkrb5-dev ripgrep chromium; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages (${missing[*]}) and not root: install them first"
    exit 1
  fi
  log "apt-get install ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# npm 11 runs dependency install scripts only for approved packages; the cache
# is ours, so allow them all explicitly for the native rebuilds.
npm_rebuild() {
  npm_config_yes=true npm rebuild --dangerously-allow-all-scripts --foreground-scripts=false "$@"
}

# A native module counts as built when its compiled .node file exists and
# Node 20 (the runtime code-server uses) can load it.
check_native() {
  local dir="$1" module="$2"
  if ! (cd "$dir" && node -e "require(process.argv[1])" "$module") 2>/dev/null; then
    log "native module $module does not load from $dir"
    (cd "$dir" && node -e "require(process.argv[1])" "$module") || true
    return 1
  fi
  if ! find "$dir/node_modules/$module" -name '*.node' | grep -q .; then
    log "native module $module has no compiled .node file"
    return 1
  fi
}

cache_is_complete() {
  [ -f "$MARKER" ] && [ -x "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg" ] \
    && [ -e "$VSCODE_DIR/node_modules.asar" ] && [ -f "$CS/node_modules/code-server/out/node/entry.js" ]
}

install_system_packages

if cache_is_complete; then
  log "cache complete: $CS"
  echo "$CS"
  exit 0
fi

started=$(date +%s)
log "installing code-server $CODE_SERVER_VERSION into $CS"
rm -rf "$CS"
mkdir -p "$CS"
cd "$CS"
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" --ignore-scripts >&2

cd "$VSCODE_DIR"
log "installing VS Code's server dependencies"
npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts >&2

mkdir -p node_modules/@vscode/ripgrep/bin
cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg

log "rebuilding VS Code's native modules"
native_modules=(kerberos @vscode/spdlog @vscode/deviceid native-watchdog node-pty)
npm_rebuild "${native_modules[@]}" >/dev/null
for m in "${native_modules[@]}"; do
  check_native "$VSCODE_DIR" "$m"
done

ln -sfn node_modules node_modules.asar

log "installing the built-in extensions' dependencies"
(cd extensions && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts) >&2

log "rebuilding argon2"
cd "$CS"
npm_rebuild argon2 >/dev/null
check_native "$CS" argon2

printf 'code-server %s installed %s\n' "$CODE_SERVER_VERSION" "$(date -u +%FT%TZ)" >"$MARKER"
log "done in $(($(date +%s) - started)) s"
echo "$CS"
