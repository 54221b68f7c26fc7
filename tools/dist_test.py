#!/usr/bin/env python3
"""`make dist-test`: installs every artefact of target/dist in a clean place, offline where the
artefact allows, and checks that it gives the CLI's findings on examples/cluster.

- crates: the packaged library crate builds in a temporary directory with its locked
  dependencies, offline, and its `evaluate` example runs `Engine::builtin()`; the CLI crate is
  installed with `cargo install` from its package (its dependency on the library patched to the
  packaged library, as crates.io would serve it);
- the sdist builds and installs in a fresh venv, and its `hullcheck` command runs;
- every wheel carries the platform tag `auditwheel show` finds, and the host's installs offline;
- the npm packages: each platform package declares its os, cpu and libc, the main package lists
  them all as optional dependencies, and the host's pair installs offline for `npx hullcheck`;
- the static binaries are statically linked ELF files of their architecture; the x86_64 one runs
  (and the aarch64 one too when qemu-aarch64-static is on the machine);
- SHA256SUMS covers every artefact and matches.
"""

import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "target", "dist")
TOOLS = os.path.join(ROOT, "target", "dist-tools", "bin")
NOW = "2026-06-01T00:00:00Z"
CLUSTER = os.path.join(ROOT, "examples", "cluster")
problems = []


def log(msg):
    print(f"dist-test: {msg}", flush=True)


def findings(cmd, cwd=None, env=None):
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=1800)
    try:
        return len(json.loads(r.stdout)["findings"])
    except (ValueError, KeyError):
        return f"no report (exit {r.returncode}): {r.stderr.strip()[-300:]}"


def expect(label, got, want):
    if got != want:
        problems.append(f"{label}: {got}, the CLI gives {want} findings")
    else:
        log(f"{label}: {got} findings, as the CLI")


def one(pattern):
    found = sorted(glob.glob(os.path.join(DIST, pattern)))
    if not found:
        problems.append(f"no artefact matches {pattern}")
        return None
    return found[0]


def checksums():
    sums = {}
    with open(os.path.join(DIST, "SHA256SUMS")) as f:
        for line in f:
            digest, name = line.split()
            sums[name] = digest
    for name in sorted(os.listdir(DIST)):
        path = os.path.join(DIST, name)
        if name == "SHA256SUMS" or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            actual = hashlib.sha256(f.read()).hexdigest()
        if sums.get(name) != actual:
            problems.append(f"SHA256SUMS: {name} is {'missing' if name not in sums else 'wrong'}")
    log(f"SHA256SUMS: {len(sums)} artefacts")


def crates(want, tmp):
    lib, cli = one("hullcheck-[0-9]*.crate"), one("hullcheck-cli-*.crate")
    if not lib or not cli:
        return
    for c in (lib, cli):
        with tarfile.open(c) as t:
            t.extractall(tmp, filter="data")
    version = os.path.basename(lib)[len("hullcheck-"):-len(".crate")]
    lib_dir = os.path.join(tmp, f"hullcheck-{version}")
    cli_dir = os.path.join(tmp, f"hullcheck-cli-{version}")
    env = {**os.environ, "CARGO_TARGET_DIR": os.path.join(tmp, "target"), "HULLCHECK_NOW": NOW}
    expect("packaged crate's example", findings(
        ["cargo", "run", "--quiet", "--offline", "--locked", "--example", "evaluate", "--", CLUSTER],
        cwd=lib_dir, env=env), want)
    r = subprocess.run(["cargo", "install", "--quiet", "--offline", "--debug", "--path", cli_dir,
                        "--root", os.path.join(tmp, "root"),
                        "--config", f'patch.crates-io.hullcheck.path="{lib_dir}"'],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("cargo install of the CLI crate failed: " + r.stderr.strip()[-300:])
        return
    expect("cargo install from the CLI crate", findings(
        [os.path.join(tmp, "root", "bin", "hullcheck"), "evaluate", "--now", NOW, CLUSTER]), want)


def venv(tmp, name):
    path = os.path.join(tmp, name)
    subprocess.run([sys.executable, "-m", "venv", path], check=True)
    return os.path.join(path, "bin")


def sdist(want, tmp):
    sd = one("hullcheck-*.tar.gz")
    if not sd:
        return
    with tarfile.open(sd) as t:
        names = t.getnames()
    if not any(n.endswith("controls/catalog.yaml") for n in names):
        problems.append("the sdist holds no catalog")
    bin_dir = venv(tmp, "sdist")
    # The build backend (maturin) comes from PyPI (pip's build isolation); the Rust dependencies
    # from cargo's cache, offline. A quicker profile: this checks the build, not its speed.
    env = {**os.environ, "CARGO_PROFILE_RELEASE_LTO": "false", "CARGO_PROFILE_RELEASE_CODEGEN_UNITS": "16",
           "CARGO_NET_OFFLINE": "true"}
    r = subprocess.run([os.path.join(bin_dir, "pip"), "install", "--quiet", sd], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("the sdist does not build: " + r.stderr.strip()[-300:])
        return
    expect("sdist in a fresh venv", findings([os.path.join(bin_dir, "hullcheck"), "evaluate", "--now", NOW, CLUSTER]), want)


def wheels(want, tmp):
    auditwheel = os.path.join(TOOLS, "auditwheel")
    if not os.path.exists(auditwheel):
        subprocess.run([os.path.join(TOOLS, "pip"), "install", "--quiet", "auditwheel"], check=True)
    empty = os.path.join(tmp, "no-libraries")
    os.makedirs(empty)
    for w in sorted(glob.glob(os.path.join(DIST, "*.whl"))):
        name = os.path.basename(w)
        # On this glibc host `libc.so` is a linker script that auditwheel cannot read: a musl
        # wheel is audited against an empty library path, so only the policy's own libraries
        # (musl's `libc.musl-<arch>.so.1`) may be needed.
        ld = ["--ldpaths", empty] if "musllinux" in name else []
        r = subprocess.run([auditwheel, "show", *ld, w], capture_output=True, text=True)
        text = " ".join(r.stdout.split())
        libc = "musllinux_1_2" if "musllinux" in name else "manylinux_2_17"
        arch = "aarch64" if "aarch64" in name else "x86_64"
        if f'"{libc}_{arch}"' not in text:
            problems.append(f"auditwheel does not find {libc}_{arch} in {name}: {text[:200]}")
        else:
            log(f"{name}: auditwheel finds {libc}_{arch}")
        with zipfile.ZipFile(w) as z:
            if not any(n.endswith("entry_points.txt") for n in z.namelist()):
                problems.append(f"{name} installs no command")
    host = one("*manylinux*x86_64*.whl")
    if host:
        bin_dir = venv(tmp, "wheel")
        subprocess.run([os.path.join(bin_dir, "pip"), "install", "--quiet", "--no-index", host], check=True)
        expect("manylinux wheel's hullcheck", findings([os.path.join(bin_dir, "hullcheck"), "evaluate", "--now", NOW, CLUSTER]), want)
        expect("manylinux wheel's library", findings([os.path.join(bin_dir, "python"), "-c",
               f"import hullcheck; print(hullcheck.Engine().evaluate_paths([{CLUSTER!r}], now={NOW!r}).to_json())"]), want)


PLATFORMS = {"linux-x64-gnu": ("x64", "glibc"), "linux-x64-musl": ("x64", "musl"),
             "linux-arm64-gnu": ("arm64", "glibc"), "linux-arm64-musl": ("arm64", "musl")}
ELF_MACHINE = {"x64": 62, "arm64": 183, "x86_64": 62, "aarch64": 183}


def elf_machine(data):
    return int.from_bytes(data[18:20], "little") if data[:4] == b"\x7fELF" else None


def npm(want, tmp):
    main = one("hullcheck-0*.tgz") or one("hullcheck-[0-9]*.tgz")
    if not main:
        return
    with tarfile.open(main) as t:
        pkg = json.load(t.extractfile("package/package.json"))
    optional = pkg.get("optionalDependencies", {})
    for plat, (cpu, libc) in PLATFORMS.items():
        tgz = one(f"hullcheck-{plat}-*.tgz")
        if not tgz:
            continue
        if optional.get(f"hullcheck-{plat}") != pkg["version"]:
            problems.append(f"the main npm package does not depend on hullcheck-{plat}@{pkg['version']}")
        with tarfile.open(tgz) as t:
            p = json.load(t.extractfile("package/package.json"))
            module = t.extractfile(f"package/hullcheck.{plat}.node").read()
        if (p.get("os"), p.get("cpu"), p.get("libc")) != (["linux"], [cpu], [libc]):
            problems.append(f"hullcheck-{plat} declares {p.get('os')} {p.get('cpu')} {p.get('libc')}")
        if elf_machine(module) != ELF_MACHINE[cpu]:
            problems.append(f"hullcheck-{plat}'s module is not an {cpu} ELF file")
        if libc == "musl":
            path = os.path.join(tmp, f"{plat}.node")
            with open(path, "wb") as f:
                f.write(module)
            needed = subprocess.run(["readelf", "-d", path], capture_output=True, text=True).stdout
            arch = "x86_64" if cpu == "x64" else "aarch64"
            if f"[libc.musl-{arch}.so.1]" not in needed or "[libc.so]" in needed:
                problems.append(f"hullcheck-{plat}'s module does not need musl's libc.musl-{arch}.so.1")
    if "bin" not in pkg or "exports" not in pkg:
        problems.append("the main npm package has no bin or no exports map")
    proj = os.path.join(tmp, "npm")
    os.makedirs(proj)
    with open(os.path.join(proj, "package.json"), "w") as f:
        f.write('{"name": "try-hullcheck", "version": "0.0.0", "private": true, "type": "module"}')
    host = one("hullcheck-linux-x64-gnu-*.tgz")
    r = subprocess.run(["npm", "install", "--offline", "--no-audit", "--no-fund", host, main], cwd=proj,
                       capture_output=True, text=True)
    if r.returncode != 0:
        problems.append("npm install --offline failed: " + r.stderr.strip()[-300:])
        return
    expect("npx hullcheck", findings(["npx", "--no-install", "hullcheck", "evaluate", "--now", NOW, CLUSTER], cwd=proj), want)
    expect("the ES module", findings(["node", "--input-type=module", "-e",
           f"import {{ Engine }} from 'hullcheck'; const r = new Engine().evaluatePaths([{CLUSTER!r}], {{ now: {NOW!r} }}); process.stdout.write(r.toJSONString())"],
           cwd=proj), want)


def qemu():
    """qemu-aarch64-static, installed from Debian when running as root and missing."""
    found = shutil.which("qemu-aarch64-static")
    if not found and os.geteuid() == 0 and shutil.which("apt-get"):
        apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=apt, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "qemu-user-static"],
                       env=apt, capture_output=True)
        found = shutil.which("qemu-aarch64-static")
    return found or ""


def binaries(want):
    for arch in ("x86_64", "aarch64"):
        b = one(f"hullcheck-*-{arch}-unknown-linux-musl")
        if not b:
            continue
        with open(b, "rb") as f:
            data = f.read()
        if elf_machine(data) != ELF_MACHINE[arch]:
            problems.append(f"{os.path.basename(b)} is not an {arch} ELF file")
        if b"ld-linux" in data[:4096] or b"/lib/ld-musl" in data[:4096]:
            problems.append(f"{os.path.basename(b)} asks for a dynamic loader")
        runner = [] if arch == "x86_64" else [qemu()]
        if runner == [""]:
            log(f"{os.path.basename(b)}: no qemu-aarch64-static here, checked as a file only")
            continue
        expect(f"static {arch} binary", findings(runner + [b, "evaluate", "--now", NOW, CLUSTER]), want)


def main():
    cli = os.path.join(ROOT, "target", "release", "hullcheck")
    if not os.path.exists(cli):
        subprocess.run(["cargo", "build", "--release", "-p", "hullcheck-cli"], cwd=ROOT, check=True)
    want = findings([cli, "evaluate", "--now", NOW, CLUSTER])
    with tempfile.TemporaryDirectory(prefix="hullcheck-dist-test-") as tmp:
        checksums()
        binaries(want)
        npm(want, tmp)
        wheels(want, tmp)
        crates(want, tmp)
        sdist(want, tmp)
    for p in problems:
        print("  " + p)
    print(f"dist-test: {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
