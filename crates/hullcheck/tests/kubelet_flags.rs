//! Kubelet command lines are kubelet evidence: the kubeadm drop-in, `kubeadm-flags.env` and a
//! kubelet container's command, with flags taking precedence over the KubeletConfiguration and
//! the kubelet's own defaults applying when it runs without `--config`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::report::Report;
use hullcheck::{Engine, NamedDocument, Options};

fn run(control: &str, docs: &[(&str, &str)]) -> Report {
    let docs: Vec<NamedDocument> = docs
        .iter()
        .map(|(n, t)| NamedDocument {
            name: (*n).into(),
            bytes: t.as_bytes().to_vec(),
        })
        .collect();
    let options = Options {
        controls: vec![control.into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    Engine::builtin()
        .unwrap()
        .evaluate_documents(&docs, &options)
        .unwrap()
}

/// (status, file, line, message) of every finding.
fn verdicts(r: &Report) -> Vec<(String, String, u32, String)> {
    r.findings
        .iter()
        .map(|f| {
            (
                f.status.as_str().to_owned(),
                f.location.file.to_string(),
                f.location.line,
                f.message.to_string(),
            )
        })
        .collect()
}

const CONFIG: &str = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous: {enabled: false}\n  webhook: {enabled: true}\n  x509: {clientCAFile: /etc/kubernetes/pki/ca.crt}\nauthorization: {mode: Webhook}\nreadOnlyPort: 0\n";
const DROP_IN: &str = "etc/systemd/system/kubelet.service.d/10-kubeadm.conf";
const FLAGS_ENV: &str = "var/lib/kubelet/kubeadm-flags.env";

#[test]
fn a_flag_overrides_the_configuration_file_and_is_located_at_itself() {
    let unit = "[Service]\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nExecStart=\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS --read-only-port 10255\n";
    let v = verdicts(&run("RUN-025", &[("config.yaml", CONFIG), (DROP_IN, unit)]));
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].0, "fail");
    assert_eq!((v[0].1.as_str(), v[0].2), (DROP_IN, 4), "{v:?}");
    assert!(v[0].3.contains("--read-only-port is 10255"), "{v:?}");
    // And the other way: the file's bad value, corrected by kubeadm-flags.env, passes.
    let open = CONFIG.replace("readOnlyPort: 0", "readOnlyPort: 10255");
    let env = "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/containerd.sock --read-only-port=0\"\n";
    let v = verdicts(&run("RUN-025", &[("config.yaml", &open), (FLAGS_ENV, env)]));
    assert_eq!(
        v.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["pass"],
        "{v:?}"
    );
}

#[test]
fn without_config_the_kubelets_own_defaults_apply() {
    let env = "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/containerd/containerd.sock\"\n";
    let v = verdicts(&run("RUN-024", &[(FLAGS_ENV, env)]));
    let fails: Vec<&str> = v
        .iter()
        .filter(|x| x.0 == "fail")
        .map(|x| x.3.as_str())
        .collect();
    assert!(
        fails
            .iter()
            .any(|m| m.contains("--anonymous-auth (true by default without --config) is true")),
        "{fails:?}"
    );
    assert!(fails.iter().any(|m| m.contains("AlwaysAllow")), "{fails:?}");
    let v = verdicts(&run("RUN-025", &[(FLAGS_ENV, env)]));
    assert!(v[0].3.contains("10255"), "{v:?}");
    let secure = "KUBELET_EXTRA_ARGS=--anonymous-auth=false --authorization-mode=Webhook --client-ca-file=/etc/ca.crt --read-only-port=0\n";
    let v = verdicts(&run("RUN-024", &[("etc/default/kubelet", secure)]));
    assert_eq!(
        v.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["pass"],
        "{v:?}"
    );
}

#[test]
fn a_config_file_the_evidence_lacks_leaves_the_rest_not_assessed() {
    let unit = "[Service]\nEnvironment=\"KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml\"\nExecStart=/usr/bin/kubelet $KUBELET_CONFIG_ARGS --anonymous-auth=true\n";
    let v = verdicts(&run("RUN-024", &[(DROP_IN, unit)]));
    let statuses: Vec<&str> = v.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(statuses, ["not_assessed", "fail"], "{v:?}");
    assert!(v[0].3.contains("/var/lib/kubelet/config.yaml"), "{v:?}");
    let v = verdicts(&run("RUN-025", &[(DROP_IN, unit)]));
    assert_eq!(
        v.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["not_assessed"],
        "{v:?}"
    );
}

#[test]
fn a_kubelet_container_command_is_kubelet_evidence_and_bad_values_are_errors() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: kubelet, namespace: kube-system}\nspec:\n  containers:\n  - name: kubelet\n    image: registry.k8s.io/kubelet:v1.33.0\n    command: [/usr/local/bin/kubelet, --config=/etc/kubelet/config.yaml, --read-only-port=10255]\n";
    let v = verdicts(&run(
        "RUN-025",
        &[("kubelet-pod.yaml", pod), ("config.yaml", CONFIG)],
    ));
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].0.as_str(), v[0].1.as_str()),
        ("fail", "kubelet-pod.yaml"),
        "{v:?}"
    );
    let bad = "KUBELET_EXTRA_ARGS=\"--read-only-port=ten\"\n";
    let r = run("RUN-025", &[("config.yaml", CONFIG), (FLAGS_ENV, bad)]);
    let doc = r.documents.iter().find(|d| &*d.file == FLAGS_ENV).unwrap();
    let e = doc.error.as_ref().unwrap();
    assert_eq!(e.code, "evidence.kubelet.bad_flag");
    assert_eq!(e.line, Some(1));
}

#[test]
fn kubelet_cipher_suites_follow_the_cis_kubelet_list() {
    let with = |list: &str| {
        CONFIG.to_owned()
            + "serverTLSBootstrap: true\nrotateCertificates: true\ntlsCipherSuites: ["
            + list
            + "]\n"
    };
    // Within CIS 1.10's kubelet list (RSA-GCM included) passes; a CBC suite outside it fails.
    let v = verdicts(&run(
        "RUN-026",
        &[(
            "c.yaml",
            &with("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_GCM_SHA256"),
        )],
    ));
    assert_eq!(v[0].0, "pass", "{v:?}");
    let v = verdicts(&run(
        "RUN-026",
        &[(
            "c.yaml",
            &with("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_CBC_SHA"),
        )],
    ));
    assert!(
        v[0].0 == "fail" && v[0].3.contains("TLS_RSA_WITH_AES_128_CBC_SHA"),
        "{v:?}"
    );
    let v = verdicts(&run("RUN-026", &[("c.yaml", &with("TLS_NOT_A_SUITE"))]));
    assert_eq!(
        v.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["error"],
        "{v:?}"
    );
}
