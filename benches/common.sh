# Shared by the whole-process comparisons: sourced with the repository root as the working
# directory. `prepare WORK` installs checkov 3.3.30 into WORK/venv, builds the release CLI and
# puts the same 1,000 real manifest files, built from ../shared/corpus/k8s, in WORK/files.
prepare() {
  local work=$1 corpus=../shared/corpus/k8s
  [ -d "$corpus" ] || { echo "needs $corpus beside the checkout" >&2; exit 2; }
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q "checkov==3.3.30"
  cargo build --release -q -p hullcheck-cli
  mkdir "$work/files"
  python3 - "$corpus" "$work/files" <<'PY'
import os, shutil, sys
src, dst = sys.argv[1:3]
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(src) for f in fs if f.endswith((".yaml", ".yml", ".json")))
n = 0
while n < 1000:
    for f in files[: 1000 - n]:
        shutil.copy(f, os.path.join(dst, f"m{n:04d}{os.path.splitext(f)[1]}"))
        n += 1
PY
}
