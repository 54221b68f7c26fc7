//! TLS cipher-suite names as Kubernetes accepts them (Go's crypto/tls, through
//! k8s.io/component-base's flag map) and the lists the CIS Kubernetes Benchmark recommends per
//! version (`tls-ciphers.yaml`, from kube-bench's configurations of each benchmark).

use std::sync::OnceLock;

use serde::Deserialize;

const DATA: &str = include_str!("tls-ciphers.yaml");

#[derive(Debug, Deserialize)]
struct GoName {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Cis {
    benchmark: String,
    recommended: Vec<String>,
    kubelet_recommended: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct File {
    go_names: Vec<GoName>,
    cis: Vec<Cis>,
}

/// The parsed table (empty when it cannot be read, which a test rules out).
#[derive(Debug, Default)]
pub struct Ciphers {
    names: Vec<String>,
    cis: Vec<(String, Vec<String>)>,
    kubelet: Vec<(String, Vec<String>)>,
}

/// The table, parsed once.
pub fn ciphers() -> &'static Ciphers {
    static T: OnceLock<Ciphers> = OnceLock::new();
    T.get_or_init(|| {
        let json = crate::evidence::yaml::first_document_json(DATA).unwrap_or_default();
        match serde_json::from_value::<File>(json) {
            Ok(f) => Ciphers {
                names: f.go_names.into_iter().map(|n| n.name).collect(),
                kubelet: f
                    .cis
                    .iter()
                    .map(|c| (c.benchmark.clone(), c.kubelet_recommended.clone()))
                    .collect(),
                cis: f
                    .cis
                    .into_iter()
                    .map(|c| (c.benchmark, c.recommended))
                    .collect(),
            },
            Err(_) => Ciphers::default(),
        }
    })
}

impl Ciphers {
    /// True when Kubernetes accepts the name in `--tls-cipher-suites`.
    pub fn known(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// The API-server list CIS Kubernetes Benchmark `version` recommends.
    pub fn recommended(&self, version: &str) -> Option<&[String]> {
        self.cis
            .iter()
            .find(|(v, _)| v == version)
            .map(|(_, l)| l.as_slice())
    }

    /// The kubelet list CIS Kubernetes Benchmark `version` recommends (4.2.12).
    pub fn kubelet_recommended(&self, version: &str) -> Option<&[String]> {
        self.kubelet
            .iter()
            .find(|(v, _)| v == version)
            .map(|(_, l)| l.as_slice())
    }

    /// True when the table was read.
    pub fn is_loaded(&self) -> bool {
        !self.names.is_empty()
            && !self.cis.is_empty()
            && self.kubelet.iter().all(|(_, l)| !l.is_empty())
    }
}
