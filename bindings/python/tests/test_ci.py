"""The CI definitions, run as their CI would run them: the GitHub Action's steps, the GitLab
template's script, and the pre-commit hook through `pre-commit try-repo`. Each installs the
wheel that `make test-python` built (target/wheels), offline, in a fresh environment."""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import yaml

from conftest import NOW, ROOT

PRIVILEGED = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/app:1.0\n    securityContext: {privileged: true}\n"


def _wheel():
    wheels = glob.glob(str(ROOT / "target" / "wheels" / "hullcheck-*.whl"))
    assert wheels, "make test-python builds the wheel into target/wheels"
    return wheels[0]


def _offline_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HULLCHECK_", "PIP_", "VIRTUAL_ENV"))}
    env.update({"PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "HOME": str(tmp_path)})
    return env


def _substitute(text, inputs, outputs):
    def value(m):
        expr = m.group(1).strip()
        if expr.startswith("inputs."):
            return inputs[expr[len("inputs."):]]
        if expr.startswith("steps.evaluate.outputs."):
            return outputs.get(expr.rsplit(".", 1)[1], "")
        raise AssertionError(f"unexpected expression {expr}")
    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def test_the_github_action_s_steps(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    inputs = {k: v.get("default", "") for k, v in action["inputs"].items()}
    inputs.update({"package": _wheel(), "paths": str(ROOT / "examples" / "cluster"), "args": f"--now {NOW}",
                   "sarif": str(tmp_path / "out.sarif")})
    env = _offline_env(tmp_path)
    env.update({"RUNNER_TEMP": str(tmp_path / "runner"), "GITHUB_PATH": str(tmp_path / "path"),
                "GITHUB_OUTPUT": str(tmp_path / "output")})
    os.makedirs(env["RUNNER_TEMP"])
    for f in ("path", "output"):
        (tmp_path / f).write_text("")
    outputs, ran, codes = {}, [], {}
    for step in action["runs"]["steps"]:
        if "uses" in step:
            # The upload runs only on GitHub; its input is the SARIF the step before wrote.
            assert step["uses"].startswith("github/codeql-action/upload-sarif@")
            assert _substitute(step["with"]["sarif_file"], inputs, outputs) == inputs["sarif"]
            continue
        step_env = dict(env)
        step_env.update({k: _substitute(str(v), inputs, outputs) for k, v in step.get("env", {}).items()})
        extra = [p for p in (tmp_path / "path").read_text().splitlines() if p]
        step_env["PATH"] = os.pathsep.join(extra + [step_env["PATH"]])
        r = subprocess.run(["bash", "-e", "-c", _substitute(step["run"], inputs, outputs)],
                           env=step_env, cwd=tmp_path, capture_output=True, text=True)
        codes[step["name"]] = r.returncode
        ran.append(step["name"])
        for line in (tmp_path / "output").read_text().splitlines():
            k, _, v = line.partition("=")
            outputs[k] = v
        if step["name"] != "Gate":
            assert r.returncode == 0, f"{step['name']}: {r.stderr[-400:]}"
    assert ran == ["Install hullcheck", "Evaluate", "Gate"]
    assert outputs["exit-code"] == "1", "the example cluster fails its gate"
    assert codes["Gate"] == 1, "the gate step fails the job after the upload"
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]


def test_the_gitlab_template_s_script(tmp_path):
    job = yaml.safe_load((ROOT / "ci" / "hullcheck.gitlab-ci.yml").read_text())["hullcheck"]
    env = _offline_env(tmp_path)
    env.update({k: str(v) for k, v in job["variables"].items()})
    env.update({"HULLCHECK_PACKAGE": _wheel(), "HULLCHECK_PATHS": str(ROOT / "examples" / "cluster"),
                "HULLCHECK_ARGS": f"--now {NOW}"})
    # The job's image has its own python3; here a fresh venv stands in for it.
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "image")], check=True)
    env["PATH"] = os.pathsep.join([str(tmp_path / "image" / "bin"), env["PATH"]])
    codes = [subprocess.run(["bash", "-c", line], env=env, cwd=tmp_path, capture_output=True, text=True).returncode
             for line in job["script"]]
    assert codes == [0, 1], "install, then the gate fails on the example"
    for artefact in job["artifacts"]["paths"] + [job["artifacts"]["reports"]["junit"]]:
        assert (tmp_path / artefact).stat().st_size > 0, artefact
    assert job["artifacts"]["when"] == "always"


def _git_repo(path, files):
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", "init", "-q", str(path)], check=True, env=env)
    for name, text in files.items():
        (path / name).write_text(text)
    subprocess.run(["git", "add", "."], cwd=path, check=True, env=env)
    return env


def test_pre_commit_try_repo_runs_the_installed_hook(tmp_path):
    repo = tmp_path / "project"
    env = _git_repo(repo, {"pod.yaml": PRIVILEGED, "notes.json": "{\"a\": 1}\n"})
    env["PRE_COMMIT_HOME"] = str(tmp_path / "cache")
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env["PATH"]])
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "hullcheck-system"]
    failing = subprocess.run(pre_commit + ["--files", "pod.yaml"], cwd=repo, env=env, capture_output=True, text=True)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "RUN-003" in failing.stdout
    # A file that holds no evidence assesses nothing, which the hook accepts.
    clean = subprocess.run(pre_commit + ["--files", "notes.json"], cwd=repo, env=env, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_both_hooks_run_the_same_command_and_the_root_package_is_the_bindings_package():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"hullcheck", "hullcheck-system"}
    assert hooks["hullcheck"]["entry"] == hooks["hullcheck-system"]["entry"]
    assert hooks["hullcheck"]["language"] == "python" and hooks["hullcheck-system"]["language"] == "system"
    with open(ROOT / "pyproject.toml", "rb") as f:
        root = tomllib.load(f)
    with open(ROOT / "bindings" / "python" / "pyproject.toml", "rb") as f:
        bindings = tomllib.load(f)
    root["project"].pop("readme")
    bindings["project"].pop("readme")
    assert root["project"] == bindings["project"], "pyproject.toml and bindings/python/pyproject.toml agree"
    assert shutil.which("bash")
