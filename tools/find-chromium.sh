#!/usr/bin/env bash
# Prints the path of a Chromium for the HTML report tests: $CHROMIUM_PATH, else the usual names
# on PATH. As root on Debian or Ubuntu it installs Debian's `chromium` when none is found (CI
# machines start without one); otherwise it says how to install one and fails.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || { echo "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2; exit 1; }
  echo "$CHROMIUM_PATH"; exit 0
fi
for name in chromium chromium-browser google-chrome-stable google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the HTML report tests" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
  command -v chromium; exit 0
fi
cat >&2 <<'MSG'
The HTML report tests need Chromium and none was found (looked at $CHROMIUM_PATH, chromium,
chromium-browser, google-chrome-stable, google-chrome). Install one, for example
  sudo apt-get install chromium          # Debian, Ubuntu
  sudo dnf install chromium              # Fedora
  brew install --cask chromium           # macOS
or point CHROMIUM_PATH at a Chrome or Chromium binary, then run `make test` again.
MSG
exit 1
