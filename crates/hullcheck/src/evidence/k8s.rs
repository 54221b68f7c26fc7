//! Classifying documents into evidence items: Kubernetes objects (with `List` expansion and
//! workload pod specs), tool outputs (SBOMs, scans, signatures, provenance, registry settings)
//! and hullcheck's own documents.

use std::sync::Arc;

use super::error::EvidenceError;
use super::item::{Evidence, EvidenceKind, Item, Origin, Subject};
use super::kinds::{cluster, cni, config, configmap, hullcheck, network, rbac, supply};
use super::node::{Node, Value};
use super::pod::PodFacts;
use super::read::Cursor;
use super::skip::SkipReason;

/// Where a workload kind keeps its pod template, as JSON-pointer segments from the object root.
struct WorkloadShape {
    kind: &'static str,
    groups: &'static [&'static str],
    spec: &'static [&'static str],
}

const APPS: &[&str] = &["apps", "extensions"];
const CORE: &[&str] = &[""];
const BATCH: &[&str] = &["batch"];
const TEMPLATE: &[&str] = &["spec", "template"];

const SHAPES: &[WorkloadShape] = &[
    WorkloadShape {
        kind: "Pod",
        groups: CORE,
        spec: &[],
    },
    WorkloadShape {
        kind: "PodTemplate",
        groups: CORE,
        spec: &["template"],
    },
    WorkloadShape {
        kind: "ReplicationController",
        groups: CORE,
        spec: TEMPLATE,
    },
    WorkloadShape {
        kind: "Deployment",
        groups: APPS,
        spec: TEMPLATE,
    },
    WorkloadShape {
        kind: "StatefulSet",
        groups: APPS,
        spec: TEMPLATE,
    },
    WorkloadShape {
        kind: "DaemonSet",
        groups: APPS,
        spec: TEMPLATE,
    },
    WorkloadShape {
        kind: "ReplicaSet",
        groups: APPS,
        spec: TEMPLATE,
    },
    WorkloadShape {
        kind: "Job",
        groups: BATCH,
        spec: TEMPLATE,
    },
    WorkloadShape {
        kind: "CronJob",
        groups: BATCH,
        spec: &["spec", "jobTemplate", "spec", "template"],
    },
];

/// The identity of a Kubernetes object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectMeta {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: std::sync::Arc<str>,
    /// `metadata.name` (or `generateName`).
    pub name: Option<std::sync::Arc<str>>,
    /// `metadata.namespace`.
    pub namespace: Option<std::sync::Arc<str>>,
    /// The suppression annotations on `metadata.annotations` (hullcheck's and other tools'),
    /// when there are any.
    pub suppressions: Option<std::sync::Arc<[crate::suppressions::Annotation]>>,
}

impl ObjectMeta {
    /// The API group of the object (empty for the core group).
    pub fn group(&self) -> &str {
        match self.api_version.split_once('/') {
            Some((group, _)) => group,
            None => "",
        }
    }
}

fn identity(c: &Cursor<'_>) -> Result<Option<ObjectMeta>, EvidenceError> {
    let (Some(api_version), Some(kind)) = (c.opt_string("apiVersion")?, c.opt_string("kind")?)
    else {
        return Ok(None);
    };
    let (mut name, mut namespace, mut suppressions) = (None, None, None);
    if let Some(meta) = c.field("metadata")? {
        suppressions = crate::suppressions::read(&meta);
        name = meta.opt_string("name")?.map(|n| n.value);
        if name.is_none() {
            name = meta.opt_string("generateName")?.map(|n| n.value);
        }
        namespace = meta.opt_string("namespace")?.map(|n| n.value);
    }
    Ok(Some(ObjectMeta {
        api_version: api_version.value,
        kind: kind.value.into(),
        name: name.map(Into::into),
        namespace: namespace.map(Into::into),
        suppressions,
    }))
}

fn origin(
    file: &Arc<str>,
    document: usize,
    c: &Cursor<'_>,
    kind: &str,
    meta: Option<&ObjectMeta>,
) -> Origin {
    let kind: Arc<str> = meta.map_or_else(|| kind.into(), |m| m.kind.clone());
    let name = meta.and_then(|m| m.name.clone());
    let namespace = meta.and_then(|m| m.namespace.clone());
    Origin {
        file: file.clone(),
        document,
        path: c.path().into(),
        line: c.node().line,
        subject: Subject::object(&kind, namespace.as_ref(), name.as_ref()),
        kind,
        api_version: meta.map(|m| m.api_version.clone()).unwrap_or_default(),
        name,
        namespace,
        suppressions: meta.and_then(|m| m.suppressions.clone()),
        tree: None,
    }
}

fn item(origin: Origin, kind: EvidenceKind, read: Result<Evidence, EvidenceError>) -> Item {
    Item {
        origin,
        evidence: read.unwrap_or_else(|e| Evidence::Invalid(kind, e)),
    }
}

/// What one document (or `List` item) turned out to be.
#[derive(Debug)]
// Transient: each outcome is moved into its file's lists at once, so boxing items would only
// add an allocation per object.
#[allow(clippy::large_enum_variant)]
pub enum Outcome {
    /// Evidence.
    Item(Item),
    /// A located error: the document (or item) looks like evidence and could not be read.
    Error {
        /// 1-based line.
        line: u32,
        /// JSON pointer of the item inside the document (empty for the root).
        path: Arc<str>,
        /// What is wrong.
        error: EvidenceError,
    },
    /// Not evidence: no error, and nothing was read.
    Skipped {
        /// 1-based line.
        line: u32,
        /// Why.
        reason: SkipReason,
    },
}

/// Reads the evidence items of one document root; never fails as a whole (a broken `List` item
/// is its own error, and the other items are read).
pub fn classify(
    file: &Arc<str>,
    document: usize,
    root: &Node,
    forced: Option<EvidenceKind>,
) -> Vec<Outcome> {
    let mut out = Vec::new();
    if let Err(error) = classify_root(file, document, root, forced, &mut out) {
        out.push(Outcome::Error {
            line: root.line,
            path: "".into(),
            error,
        });
    }
    out
}

fn classify_root(
    file: &Arc<str>,
    document: usize,
    root: &Node,
    forced: Option<EvidenceKind>,
    out: &mut Vec<Outcome>,
) -> Result<(), EvidenceError> {
    let c = Cursor::new(root, "");
    match &root.value {
        Value::Seq(items) => {
            let first_is = |key: &str| items.first().is_some_and(|n| n.get(key).is_some());
            if first_is("critical") || forced == Some(EvidenceKind::Signature) {
                for i in c.items()? {
                    let o = origin(file, document, &i, "cosign", None);
                    out.push(Outcome::Item(item(
                        o,
                        EvidenceKind::Signature,
                        supply::read_cosign_item(&i).map(Evidence::Signature),
                    )));
                }
            } else if first_is("Config") || forced == Some(EvidenceKind::ImageConfig) {
                for i in c.items()? {
                    let o = origin(file, document, &i, "docker-inspect", None);
                    out.push(Outcome::Item(item(
                        o,
                        EvidenceKind::ImageConfig,
                        supply::read_image_config(&i).map(Evidence::ImageConfig),
                    )));
                }
            } else if first_is("apiVersion") && first_is("kind") {
                return Err(unrecognized(
                    root,
                    "a bare YAML list of Kubernetes objects (kubectl reads them as `kind: List` with `items`, or as `---`-separated documents)",
                ));
            } else {
                out.push(skipped(root, "a list"));
            }
        }
        Value::Map(_) => classify_map(file, document, &c, forced, out, 0)?,
        _ => out.push(skipped(root, &format!("a {} document", root.type_name()))),
    }
    Ok(())
}

fn skipped(node: &Node, what: &str) -> Outcome {
    Outcome::Skipped {
        line: node.line,
        reason: SkipReason::NotEvidence {
            what: what.to_owned(),
        },
    }
}

fn unrecognized(root: &Node, what: &str) -> EvidenceError {
    EvidenceError::Unrecognized {
        line: root.line,
        reason: format!("{what} is no known evidence format"),
    }
}

fn has(c: &Cursor<'_>, key: &str) -> bool {
    c.node().get(key).is_some()
}

fn str_of<'a>(c: &Cursor<'a>, key: &str) -> Option<&'a str> {
    c.node().get(key).and_then(Node::as_str)
}

/// True for a Helm `Chart.yaml`: `apiVersion` `v1` or `v2`, a `name` and a `version`, no `kind`.
fn is_chart_metadata(c: &Cursor<'_>) -> bool {
    matches!(str_of(c, "apiVersion"), Some("v1" | "v2"))
        && has(c, "name")
        && has(c, "version")
        && !has(c, "kind")
}

/// True for a file Kustomize reads as its kustomization.
fn is_kustomization_file(file: &str) -> bool {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    matches!(
        base,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

fn classify_map(
    file: &Arc<str>,
    document: usize,
    c: &Cursor<'_>,
    forced: Option<EvidenceKind>,
    out: &mut Vec<Outcome>,
    depth: usize,
) -> Result<(), EvidenceError> {
    use EvidenceKind as K;
    let tool = |kind: &str| origin(file, document, c, kind, None);
    let is = |k: K, detected: bool| forced == Some(k) || (forced.is_none() && detected);
    let mut push = |i: Item| out.push(Outcome::Item(i));
    let cyclonedx = str_of(c, "bomFormat") == Some("CycloneDX");
    if (is(K::Sbom, cyclonedx) || (forced == Some(K::Scan) && cyclonedx)) && !has(c, "spdxVersion")
    {
        match supply::read_cyclonedx(c) {
            Ok(sbom) => {
                // A CycloneDX document with vulnerabilities is also a vulnerability report.
                let vulns = supply::read_cyclonedx_vulnerabilities(c, &sbom);
                if forced != Some(K::Sbom) {
                    match vulns {
                        Ok(Some(scan)) => push(item(
                            tool("CycloneDX"),
                            K::Scan,
                            Ok(Evidence::Scan(Box::new(scan))),
                        )),
                        Ok(None) => {}
                        Err(e) => push(item(tool("CycloneDX"), K::Scan, Err(e))),
                    }
                }
                if forced != Some(K::Scan) {
                    push(item(
                        tool("CycloneDX"),
                        K::Sbom,
                        Ok(Evidence::Sbom(Box::new(sbom))),
                    ));
                }
            }
            Err(e) => push(item(tool("CycloneDX"), K::Sbom, Err(e))),
        }
    } else if is(K::Sbom, has(c, "spdxVersion")) {
        push(item(
            tool("SPDX"),
            K::Sbom,
            supply::read_spdx(c).map(|s| Evidence::Sbom(Box::new(s))),
        ));
    } else if is(
        K::Scan,
        has(c, "SchemaVersion") && (has(c, "Results") || has(c, "ArtifactName")),
    ) && !has(c, "matches")
    {
        push(item(
            tool("Trivy"),
            K::Scan,
            supply::read_trivy(c).map(|s| Evidence::Scan(Box::new(s))),
        ));
    } else if is(
        K::Scan,
        has(c, "matches") && (has(c, "descriptor") || has(c, "source")),
    ) {
        push(item(
            tool("Grype"),
            K::Scan,
            supply::read_grype(c).map(|s| Evidence::Scan(Box::new(s))),
        ));
    } else if is(
        K::Provenance,
        str_of(c, "_type").is_some_and(|t| t.starts_with("https://in-toto.io/Statement")),
    ) {
        push(item(
            tool("in-toto"),
            K::Provenance,
            supply::read_statement(c, false).map(Evidence::Provenance),
        ));
    } else if has(c, "payloadType") && has(c, "payload") {
        push(item(tool("DSSE"), K::Provenance, read_dsse(c)));
    } else if is(
        K::EcrRepositories,
        c.node()
            .get("repositories")
            .is_some_and(|r| matches!(r.value, Value::Seq(_))),
    ) {
        push(item(
            tool("ECR repositories"),
            K::EcrRepositories,
            supply::read_ecr_repositories(c).map(Evidence::EcrRepositories),
        ));
    } else if is(K::EcrScanning, has(c, "scanningConfiguration")) {
        push(item(
            tool("ECR scanning configuration"),
            K::EcrScanning,
            supply::read_ecr_scanning(c).map(Evidence::EcrScanning),
        ));
    } else if is(
        K::ImageConfig,
        has(c, "Config") && (has(c, "Id") || has(c, "RepoTags")),
    ) {
        push(item(
            tool("docker-inspect"),
            K::ImageConfig,
            supply::read_image_config(c).map(Evidence::ImageConfig),
        ));
    } else if depth == 0 && is_chart_metadata(c) {
        return Err(EvidenceError::HelmUnrendered {
            line: c.node().line,
            what: format!(
                "this is the `Chart.yaml` of chart `{}`, whose templates make the objects",
                str_of(c, "name").unwrap_or("chart")
            ),
            chart: super::error::parent_dir(file).unwrap_or_else(|| "CHART".to_owned()),
        });
    } else if let Some(meta) = identity(c)? {
        let is_list = &*meta.kind == "List" || (meta.kind.ends_with("List") && has(c, "items"));
        if is_list && depth == 0 {
            if let Some(items) = c.field("items")? {
                for i in items.items()? {
                    list_item(file, document, &i, out);
                }
            }
            return Ok(());
        }
        if let Some((now, before)) = super::apis::apis().unserved(&meta.api_version, &meta.kind) {
            let quote = |v: &[&str]| {
                v.iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut served = quote(&now);
            if !before.is_empty() {
                served.push_str(&format!(", and formerly by {}", quote(&before)));
            }
            return Err(EvidenceError::UnservedApiVersion {
                line: c.node().line,
                kind: meta.kind.to_string(),
                api_version: meta.api_version.clone(),
                served,
            });
        }
        if meta.group() == "kustomize.config.k8s.io" {
            return Err(EvidenceError::KustomizeUnrendered {
                line: c.node().line,
                dir: super::error::parent_dir(file).unwrap_or_else(|| "DIR".to_owned()),
            });
        }
        push(kubernetes(file, document, c, &meta));
    } else if depth == 0 && forced.is_none() && is_kustomization_file(file) {
        return Err(EvidenceError::KustomizeUnrendered {
            line: c.node().line,
            dir: super::error::parent_dir(file).unwrap_or_else(|| "DIR".to_owned()),
        });
    } else if has(c, "apiVersion") || has(c, "kind") {
        let missing = if has(c, "kind") { "apiVersion" } else { "kind" };
        return Err(EvidenceError::MissingField {
            line: c.node().line,
            path: format!("{}/{missing}", c.path()),
        });
    } else {
        out.push(skipped(c.node(), "a mapping"));
    }
    Ok(())
}

/// One item of a `List`: a null, a non-object or an item without `apiVersion` and `kind` is a
/// located error of that item alone.
fn list_item(file: &Arc<str>, document: usize, i: &Cursor<'_>, out: &mut Vec<Outcome>) {
    let error = |error| Outcome::Error {
        line: i.node().line,
        path: i.path().into(),
        error,
    };
    let found = i.node().type_name();
    if !matches!(i.node().value, Value::Map(_)) {
        out.push(error(EvidenceError::Unrecognized {
            line: i.node().line,
            reason: format!("`List` item `{}` is {found}, not an object", i.path()),
        }));
        return;
    }
    match identity(i) {
        Ok(Some(_)) => {
            let mut inner = Vec::new();
            match classify_map(file, document, i, None, &mut inner, 1) {
                Ok(()) => out.extend(inner),
                Err(e) => out.push(error(e)),
            }
        }
        Ok(None) => out.push(error(EvidenceError::Unrecognized {
            line: i.node().line,
            reason: format!("`List` item `{}` has no `apiVersion` and `kind`", i.path()),
        })),
        Err(e) => out.push(error(e)),
    }
}

fn read_dsse(c: &Cursor<'_>) -> Result<Evidence, EvidenceError> {
    let payload = c
        .opt_string("payload")?
        .map(|p| p.value)
        .unwrap_or_default();
    let signed = c
        .field("signatures")?
        .map(|s| s.items())
        .transpose()?
        .is_some_and(|s| !s.is_empty());
    let bad = || EvidenceError::Unrecognized {
        line: c.node().line,
        reason: "DSSE payload is not a base64 JSON in-toto statement".to_owned(),
    };
    let bytes = supply::base64_decode(&payload).ok_or_else(bad)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| bad())?;
    let limits = super::Limits::default();
    let doc = super::yaml::documents(text, &limits)
        .next()
        .ok_or_else(bad)?;
    let node = doc.result.map_err(|_| bad())?;
    let inner = Cursor::new(&node, c.path());
    let mut facts = supply::read_statement(&inner, signed)?;
    facts.loc = c.loc();
    Ok(Evidence::Provenance(facts))
}

fn kubernetes(file: &Arc<str>, document: usize, c: &Cursor<'_>, meta: &ObjectMeta) -> Item {
    use EvidenceKind as K;
    let o = origin(file, document, c, &meta.kind, Some(meta));
    let group = meta.group();
    if let Some(shape) = SHAPES
        .iter()
        .find(|s| s.kind == &*meta.kind && s.groups.contains(&group))
    {
        return read_workload(o, c, shape);
    }
    let name = meta.name.as_deref().unwrap_or_default().to_owned();
    let ns = meta.namespace.as_deref();
    match (group, &*meta.kind) {
        ("", "Namespace") => item(
            o,
            K::Namespace,
            cluster::read_namespace(c).map(Evidence::Namespace),
        ),
        ("", "ServiceAccount") => item(
            o,
            K::ServiceAccount,
            rbac::read_service_account(c).map(Evidence::ServiceAccount),
        ),
        ("", "Service") => item(
            o,
            K::Service,
            network::read_service(c).map(Evidence::Service),
        ),
        ("", "ResourceQuota") => Item {
            origin: o,
            evidence: Evidence::ResourceQuota,
        },
        ("", "ConfigMap") => item(
            o,
            K::ConfigMap,
            configmap::read_config_map(c).map(Evidence::ConfigMap),
        ),
        ("", "LimitRange") => Item {
            origin: o,
            evidence: Evidence::LimitRange,
        },
        ("networking.k8s.io", "NetworkPolicy") => item(
            o,
            K::NetworkPolicy,
            network::read_network_policy(c).map(Evidence::NetworkPolicy),
        ),
        ("cilium.io", "CiliumNetworkPolicy" | "CiliumClusterwideNetworkPolicy") => item(
            o,
            K::CniPolicy,
            cni::read_cilium(c, &*meta.kind == "CiliumClusterwideNetworkPolicy")
                .map(Evidence::CniPolicy),
        ),
        (
            "projectcalico.org" | "crd.projectcalico.org",
            "NetworkPolicy" | "GlobalNetworkPolicy",
        ) => item(
            o,
            K::CniPolicy,
            cni::read_calico(c, &*meta.kind == "GlobalNetworkPolicy").map(Evidence::CniPolicy),
        ),
        ("networking.k8s.io" | "extensions", "Ingress") => item(
            o,
            K::Ingress,
            network::read_ingress(c).map(Evidence::Ingress),
        ),
        ("rbac.authorization.k8s.io", "Role" | "ClusterRole") => item(
            o,
            K::Role,
            rbac::read_role(c, &*meta.kind == "ClusterRole", name).map(Evidence::Role),
        ),
        ("rbac.authorization.k8s.io", "RoleBinding" | "ClusterRoleBinding") => item(
            o,
            K::Binding,
            rbac::read_binding(c, &*meta.kind == "ClusterRoleBinding", ns).map(Evidence::Binding),
        ),
        ("security.istio.io", "PeerAuthentication") => item(
            o,
            K::PeerAuthentication,
            network::read_peer_authentication(c).map(Evidence::PeerAuthentication),
        ),
        ("security.istio.io", "AuthorizationPolicy") => item(
            o,
            K::AuthorizationPolicy,
            network::read_authorization_policy(c).map(Evidence::AuthorizationPolicy),
        ),
        ("kyverno.io", "ClusterPolicy" | "Policy") => item(
            o,
            K::Admission,
            cluster::read_kyverno(c).map(Evidence::Admission),
        ),
        ("constraints.gatekeeper.sh", _) => item(
            o,
            K::Admission,
            cluster::read_gatekeeper(c).map(Evidence::Admission),
        ),
        ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding") => item(
            o,
            K::Admission,
            cluster::read_vap_binding(c).map(Evidence::Admission),
        ),
        ("kubelet.config.k8s.io", "KubeletConfiguration") => item(
            o,
            K::Kubelet,
            config::read_kubelet(c).map(|k| Evidence::Kubelet(Box::new(k))),
        ),
        ("audit.k8s.io", "Policy") => item(
            o,
            K::AuditPolicy,
            config::read_audit_policy(c).map(Evidence::AuditPolicy),
        ),
        ("apiserver.config.k8s.io" | "apiserver.k8s.io", "EncryptionConfiguration") => item(
            o,
            K::Encryption,
            config::read_encryption(c).map(Evidence::Encryption),
        ),
        ("hullcheck.dev", "Attestation") => item(
            o,
            K::Attestation,
            hullcheck::read_attestation(c).map(Evidence::Attestation),
        ),
        ("hullcheck.dev", "Policy") => item(
            o,
            K::Policy,
            hullcheck::read_policy(c).map(Evidence::Policy),
        ),
        _ => Item {
            origin: o,
            evidence: Evidence::OtherKubernetes,
        },
    }
}

fn descend<'a>(c: &Cursor<'a>, path: &[&str]) -> Result<Option<Cursor<'a>>, EvidenceError> {
    let mut cur = c.clone();
    for seg in path {
        match cur.field(seg)? {
            Some(next) => cur = next,
            None => return Ok(None),
        }
    }
    Ok(Some(cur))
}

fn read_workload(o: Origin, c: &Cursor<'_>, shape: &WorkloadShape) -> Item {
    let static_pod_candidate =
        shape.kind == "Pod" && o.namespace.as_deref().is_none_or(|n| n == "kube-system");
    let read = || -> Result<Evidence, EvidenceError> {
        let template = descend(c, shape.spec)?.ok_or_else(|| EvidenceError::MissingField {
            line: c.node().line,
            path: format!("{}/{}", c.path(), shape.spec.join("/")),
        })?;
        let metadata = template.field("metadata")?;
        let spec = template
            .field("spec")?
            .ok_or_else(|| EvidenceError::MissingField {
                line: template.node().line,
                path: format!("{}/spec", template.path()),
            })?;
        if static_pod_candidate {
            if let Some(container) = config::kubelet_container(&spec)? {
                let facts = config::read_flags("kubelet".to_owned(), &container)?;
                return Ok(Evidence::Kubelet(Box::new(
                    super::kinds::kubelet_flags::facts_from_flags(&facts.flags, facts.loc)?,
                )));
            }
            if let Some((component, container)) = config::component_of(&spec)? {
                return Ok(Evidence::ControlPlane(config::read_flags(
                    component, &container,
                )?));
            }
        }
        let mut facts = PodFacts::read(&spec, metadata.as_ref())?;
        for c in &mut facts.containers {
            c.subject = Some(Arc::new(Subject {
                container: Some(c.name.clone()),
                image: c.image.clone(),
                ..Subject::clone(&o.subject)
            }));
        }
        Ok(Evidence::Workload(Box::new(facts)))
    };
    let read = read();
    item(o, EvidenceKind::Workload, read)
}
