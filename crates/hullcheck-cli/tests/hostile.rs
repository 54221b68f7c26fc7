//! Hostile input through the CLI, under a 2 GiB address-space limit: every broken file is named
//! in the report with a located error, the valid pod beside them is still evaluated, and the
//! process exits normally (no panic, no signal).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const VALID: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: valid, namespace: ok}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/c:1\n    securityContext: {privileged: true}\n";

fn base_pod() -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "w", "namespace": "t", "annotations": {"a": "b"}},
      "spec": {"hostNetwork": false, "hostUsers": true, "serviceAccountName": "sa", "automountServiceAccountToken": false,
        "securityContext": {"runAsNonRoot": true, "runAsUser": 1000, "fsGroup": 2000, "supplementalGroups": [3000],
          "seccompProfile": {"type": "RuntimeDefault"}, "seLinuxOptions": {"type": "container_t"}, "sysctls": [{"name": "net.ipv4.tcp_syncookies", "value": "1"}],
          "windowsOptions": {"hostProcess": false}},
        "volumes": [{"name": "v", "hostPath": {"path": "/data"}}],
        "containers": [{"name": "c", "image": "x:1", "imagePullPolicy": "Always",
          "ports": [{"containerPort": 80, "hostPort": 0}],
          "env": [{"name": "A", "value": "b"}],
          "livenessProbe": {"httpGet": {"host": "", "port": 80}},
          "lifecycle": {"preStop": {"tcpSocket": {"host": "", "port": 80}}},
          "resources": {"limits": {"memory": "1Gi"}, "requests": {"cpu": "1"}},
          "securityContext": {"privileged": false, "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsGroup": 1,
            "procMount": "Default", "capabilities": {"add": ["CHOWN"], "drop": ["ALL"]}, "appArmorProfile": {"type": "RuntimeDefault"}}}],
        "initContainers": [], "ephemeralContainers": []}})
}

/// Every path of a value, with a replacement of another type.
fn mutations(v: &Value, path: &mut Vec<String>, out: &mut Vec<(String, Value)>) {
    let wrong = match v {
        Value::Object(_) => json!("not-a-mapping"),
        Value::Array(_) => json!(7),
        Value::String(_) => json!([1, 2]),
        Value::Bool(_) => json!("maybe"),
        Value::Number(_) => json!({"n": 1}),
        Value::Null => json!([]),
    };
    if !path.is_empty() {
        out.push((format!("/{}", path.join("/")), wrong));
    }
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| {
            path.push(k.clone());
            mutations(x, path, out);
            path.pop();
        }),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
            path.push(i.to_string());
            mutations(x, path, out);
            path.pop();
        }),
        _ => {}
    }
}

fn set(v: &mut Value, pointer: &str, new: Value) {
    *v.pointer_mut(pointer).unwrap() = new;
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn hostile_inputs_are_named_and_bounded() {
    let dir = std::env::temp_dir().join(format!("hullcheck-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    write(&dir, "valid.yaml", VALID.as_bytes());
    // A broken document between two valid ones: reading goes on at the next marker.
    write(
        &dir,
        "broken-middle.yaml",
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: before}}\n---\nkind: Pod\nspec: [\n---\n{VALID}").as_bytes(),
    );
    // Billion laughs.
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    write(&dir, "alias-bomb.yaml", bomb.as_bytes());
    write(
        &dir,
        "deep-flow.yaml",
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)).as_bytes(),
    );
    write(
        &dir,
        "deep.json",
        format!("{}1{}", "{\"a\":".repeat(200_000), "}".repeat(200_000)).as_bytes(),
    );
    let block: String = (0..200_000usize)
        .map(|i| format!("{}k:\n", " ".repeat(i % 4000)))
        .take(4000)
        .collect();
    write(&dir, "deep-block.yaml", block.as_bytes());
    write(
        &dir,
        "invalid-utf8.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xc3\x28bad\n",
    );
    let junk: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write(&dir, "binary.yaml", &junk);
    write(&dir, "truncated.yaml", b"apiVersion: v1\nkind: Pod\nmetadata: {name: t}\nspec:\n  containers:\n  - name: c\n    image: \"x\n");
    // Wrong types at every level of a pod spec.
    let base = base_pod();
    let mut muts = Vec::new();
    mutations(&base, &mut Vec::new(), &mut muts);
    let docs: Vec<String> = muts
        .iter()
        .map(|(p, w)| {
            let mut v = base.clone();
            set(&mut v, p, w.clone());
            serde_json::to_string(&v).unwrap()
        })
        .collect();
    write(&dir, "wrong-types.yaml", docs.join("\n---\n").as_bytes());
    // 50,000 documents in one file.
    let many: String = (0..50_000)
        .map(|i| {
            format!(
                "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{i}}}\ndata: {{k: v}}\n"
            )
        })
        .collect();
    write(&dir, "many.yaml", many.as_bytes());
    // A 16 MB minified JSON List on one line (a reader that rescans the line per scalar would
    // take minutes here; the watchdog below turns that into a failure).
    let items: Vec<String> = (0..60_000)
        .map(|i| {
            format!(
                r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"m{i}","labels":{{"a":"b","c":"d"}}}},"data":{{"k":"{}"}}}}"#,
                "v".repeat(150)
            )
        })
        .collect();
    // One more object with 200,000 keys: a reader that checks duplicates by scanning the keys
    // so far would be quadratic here.
    let wide: Vec<String> = (0..200_000).map(|i| format!(r#""k{i}":"v""#)).collect();
    let wide = format!(
        r#"{{"apiVersion":"v1","kind":"ConfigMap","metadata":{{"name":"wide"}},"data":{{{}}}}}"#,
        wide.join(",")
    );
    let minified = format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{},{wide}]}}"#,
        items.join(",")
    );
    write(&dir, "minified.json", minified.as_bytes());
    // A 120 MB file.
    {
        let mut f = std::fs::File::create(dir.join("huge.yaml")).unwrap();
        let line =
            "# padding padding padding padding padding padding padding padding padding padding\n";
        let mut written = 0usize;
        while written < 120 * 1024 * 1024 {
            f.write_all(line.as_bytes()).unwrap();
            written += line.len();
        }
    }
    // A symlink loop, a pipe, and a directory nobody may read.
    std::os::unix::fs::symlink(&dir, dir.join("loop")).unwrap();
    let fifo = dir.join("pipe.yaml");
    let _ = Command::new("mkfifo").arg(&fifo).status();
    let locked = dir.join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    write(&locked, "secret.yaml", VALID.as_bytes());
    Command::new("chmod")
        .args(["000", locked.to_str().unwrap()])
        .status()
        .unwrap();
    Command::new("chmod")
        .args(["-R", "a+rX", dir.to_str().unwrap()])
        .status()
        .unwrap();
    Command::new("chmod")
        .args(["000", locked.to_str().unwrap()])
        .status()
        .unwrap();
    Command::new("chmod")
        .args(["a+rwx", dir.to_str().unwrap()])
        .status()
        .unwrap();

    // Run as an unprivileged user when we are root, so the locked directory really is unreadable.
    let exe = env!("CARGO_BIN_EXE_hullcheck");
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false);
    // A watchdog, not a benchmark: the whole run takes seconds; a hang or a quadratic reader
    // ends with the timeout's code 124.
    let mut cmd = Command::new("timeout");
    cmd.args(["180", "prlimit", "--as=2147483648", "--"]);
    if is_root {
        cmd.args([
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--",
        ]);
    }
    let out = cmd
        .args([
            exe,
            "evaluate",
            "--now",
            "2026-06-01T00:00:00Z",
            "--format",
            "json",
            dir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    Command::new("chmod")
        .args(["755", locked.to_str().unwrap()])
        .status()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "killed by a signal or crashed: {:?}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = report["documents"].as_array().unwrap();
    let error_of = |file: &str| -> String {
        docs.iter()
            .find(|d| d["file"].as_str().unwrap().ends_with(file) && !d["error"].is_null())
            .map(|d| d["error"]["code"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no error for {file}"))
    };
    assert_eq!(
        error_of("alias-bomb.yaml"),
        "evidence.limit.alias_expansion"
    );
    assert_eq!(error_of("deep-flow.yaml"), "evidence.limit.depth");
    assert_eq!(error_of("deep.json"), "evidence.limit.depth");
    assert_eq!(error_of("deep-block.yaml"), "evidence.limit.depth");
    assert_eq!(error_of("invalid-utf8.yaml"), "evidence.encoding.utf8");
    assert!(error_of("binary.yaml").starts_with("evidence."));
    assert_eq!(error_of("truncated.yaml"), "evidence.syntax");
    assert_eq!(error_of("huge.yaml"), "evidence.limit.file_size");
    assert_eq!(error_of("loop"), "evidence.symlink_loop");
    // A pipe met while walking is skipped with a reason (reading it could block), never read.
    let pipe = docs
        .iter()
        .find(|d| d["file"].as_str().unwrap().ends_with("pipe.yaml"))
        .unwrap();
    assert_eq!(pipe["status"], "skipped");
    assert_eq!(pipe["skipped"]["code"], "skipped.not_regular_file");
    assert_eq!(error_of("locked"), "evidence.directory");
    // Every wrong-type mutation is either read or reported with a pointer; the typed fields fail.
    let wrong: Vec<&Value> = docs
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with("wrong-types.yaml"))
        .collect();
    assert_eq!(wrong.len(), muts.len());
    let typed = wrong
        .iter()
        .filter(|d| d["error"]["code"] == "evidence.kubernetes.wrong_type")
        .count();
    assert!(
        typed * 2 > muts.len(),
        "{typed} of {} mutations reported as wrong types",
        muts.len()
    );
    for (i, (pointer, _)) in muts.iter().enumerate() {
        if pointer.contains("securityContext/privileged")
            || pointer.ends_with("/runAsUser")
            || pointer.ends_with("/hostPort")
        {
            assert_eq!(wrong[i]["error"]["path"], json!(pointer), "{pointer}");
        }
    }
    assert_eq!(
        docs.iter()
            .filter(|d| d["file"].as_str().unwrap().ends_with("many.yaml"))
            .count(),
        50_000
    );
    assert_eq!(
        docs.iter()
            .filter(
                |d| d["file"].as_str().unwrap().ends_with("minified.json") && d["error"].is_null()
            )
            .count(),
        60_001
    );
    let middle: Vec<&Value> = docs
        .iter()
        .filter(|d| d["file"].as_str().unwrap().ends_with("broken-middle.yaml"))
        .collect();
    assert_eq!(middle.len(), 3);
    assert!(middle[0]["error"].is_null() && middle[2]["error"].is_null());
    assert_eq!(middle[1]["error"]["code"], "evidence.syntax");
    // The privileged pods after the broken document and beside the hostile files were evaluated.
    let privileged_fails = |file: &str| {
        report["findings"].as_array().unwrap().iter().any(|f| {
            f["control_id"] == "RUN-003"
                && f["status"] == "fail"
                && f["location"]["file"].as_str().unwrap().ends_with(file)
        })
    };
    assert!(privileged_fails("broken-middle.yaml"));
    assert!(privileged_fails("/valid.yaml"));
    std::fs::remove_dir_all(&dir).unwrap();
}
