//! Evidence items: the typed facts of one document or object, with where they came from.

use std::sync::Arc;

use super::dockerfile::DockerfileFacts;
use super::error::EvidenceError;
use super::kinds::cluster::{AdmissionFacts, NamespaceFacts};
use super::kinds::config::{AuditPolicyFacts, ControlPlaneFacts, EncryptionFacts, KubeletFacts};
use super::kinds::hullcheck::{AttestationFacts, PolicyFacts};
use super::kinds::network::{
    AuthorizationPolicyFacts, IngressFacts, NetworkPolicyFacts, PeerAuthenticationFacts,
    ServiceFacts,
};
use super::kinds::rbac::{BindingFacts, RoleFacts, ServiceAccountFacts};
use super::kinds::supply::{
    EcrRepository, EcrScanningFacts, ImageConfigFacts, ProvenanceFacts, SbomFacts, ScanFacts,
    SignatureFacts,
};
use super::pod::PodFacts;

/// The kinds of evidence, as controls name them in `evidence:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EvidenceKind {
    /// Pods and workload controllers.
    Workload,
    /// Namespaces.
    Namespace,
    /// NetworkPolicies.
    NetworkPolicy,
    /// Roles and ClusterRoles.
    Role,
    /// RoleBindings and ClusterRoleBindings.
    Binding,
    /// ServiceAccounts.
    ServiceAccount,
    /// Services.
    Service,
    /// Ingresses.
    Ingress,
    /// ResourceQuotas.
    ResourceQuota,
    /// LimitRanges.
    LimitRange,
    /// Istio PeerAuthentication.
    PeerAuthentication,
    /// Istio AuthorizationPolicy.
    AuthorizationPolicy,
    /// Kyverno, Gatekeeper and ValidatingAdmissionPolicy bindings.
    Admission,
    /// Control-plane static pods read as flags.
    ControlPlane,
    /// KubeletConfiguration.
    Kubelet,
    /// Audit Policy.
    AuditPolicy,
    /// EncryptionConfiguration.
    Encryption,
    /// Dockerfiles.
    Dockerfile,
    /// `docker inspect` image configuration.
    ImageConfig,
    /// CycloneDX and SPDX SBOMs.
    Sbom,
    /// Trivy and Grype vulnerability reports.
    Scan,
    /// cosign verification output.
    Signature,
    /// in-toto statements (SLSA provenance).
    Provenance,
    /// `aws ecr describe-repositories`.
    EcrRepositories,
    /// `aws ecr get-registry-scanning-configuration`.
    EcrScanning,
    /// hullcheck attestations.
    Attestation,
    /// hullcheck policies carried in the evidence.
    Policy,
    /// Cilium and Calico network policies (for default deny).
    CniPolicy,
    /// ConfigMaps (their `data`, for literal credentials).
    ConfigMap,
    /// Any other Kubernetes object.
    OtherKubernetes,
}

/// Every kind with its name.
pub const KIND_NAMES: &[(&str, EvidenceKind)] = &[
    ("kubernetes.workload", EvidenceKind::Workload),
    ("kubernetes.namespace", EvidenceKind::Namespace),
    ("kubernetes.network_policy", EvidenceKind::NetworkPolicy),
    ("network.cni_policy", EvidenceKind::CniPolicy),
    ("kubernetes.role", EvidenceKind::Role),
    ("kubernetes.binding", EvidenceKind::Binding),
    ("kubernetes.service_account", EvidenceKind::ServiceAccount),
    ("kubernetes.service", EvidenceKind::Service),
    ("kubernetes.ingress", EvidenceKind::Ingress),
    ("kubernetes.resource_quota", EvidenceKind::ResourceQuota),
    ("kubernetes.limit_range", EvidenceKind::LimitRange),
    ("kubernetes.config_map", EvidenceKind::ConfigMap),
    (
        "istio.peer_authentication",
        EvidenceKind::PeerAuthentication,
    ),
    (
        "istio.authorization_policy",
        EvidenceKind::AuthorizationPolicy,
    ),
    ("admission.policy", EvidenceKind::Admission),
    ("controlplane.flags", EvidenceKind::ControlPlane),
    ("kubelet.config", EvidenceKind::Kubelet),
    ("audit.policy", EvidenceKind::AuditPolicy),
    ("encryption.config", EvidenceKind::Encryption),
    ("image.dockerfile", EvidenceKind::Dockerfile),
    ("image.config", EvidenceKind::ImageConfig),
    ("sbom", EvidenceKind::Sbom),
    ("scan.vulnerabilities", EvidenceKind::Scan),
    ("signature.cosign", EvidenceKind::Signature),
    ("provenance.intoto", EvidenceKind::Provenance),
    ("registry.ecr_repositories", EvidenceKind::EcrRepositories),
    ("registry.ecr_scanning", EvidenceKind::EcrScanning),
    ("attestation", EvidenceKind::Attestation),
    ("hullcheck.policy", EvidenceKind::Policy),
    ("kubernetes.other", EvidenceKind::OtherKubernetes),
];

impl EvidenceKind {
    /// The kind's name.
    pub fn name(self) -> &'static str {
        KIND_NAMES
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("unknown", |(n, _)| *n)
    }

    /// Looks a kind up by name.
    pub fn by_name(name: &str) -> Option<Self> {
        KIND_NAMES.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// The typed facts of one item.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub enum Evidence {
    Workload(Box<PodFacts>),
    Namespace(NamespaceFacts),
    NetworkPolicy(NetworkPolicyFacts),
    CniPolicy(super::kinds::cni::CniPolicyFacts),
    Role(RoleFacts),
    Binding(BindingFacts),
    ServiceAccount(ServiceAccountFacts),
    Service(ServiceFacts),
    Ingress(IngressFacts),
    ResourceQuota,
    LimitRange,
    PeerAuthentication(PeerAuthenticationFacts),
    AuthorizationPolicy(AuthorizationPolicyFacts),
    Admission(AdmissionFacts),
    ControlPlane(ControlPlaneFacts),
    Kubelet(Box<KubeletFacts>),
    AuditPolicy(AuditPolicyFacts),
    Encryption(EncryptionFacts),
    Dockerfile(Box<DockerfileFacts>),
    ImageConfig(ImageConfigFacts),
    Sbom(Box<SbomFacts>),
    Scan(Box<ScanFacts>),
    Signature(SignatureFacts),
    Provenance(ProvenanceFacts),
    EcrRepositories(Vec<EcrRepository>),
    EcrScanning(EcrScanningFacts),
    Attestation(AttestationFacts),
    Policy(PolicyFacts),
    ConfigMap(super::kinds::configmap::ConfigMapFacts),
    OtherKubernetes,
    /// A document of a known kind whose fields could not be read.
    Invalid(EvidenceKind, EvidenceError),
}

impl Evidence {
    /// The kind of the facts.
    pub fn kind(&self) -> EvidenceKind {
        match self {
            Self::Workload(_) => EvidenceKind::Workload,
            Self::Namespace(_) => EvidenceKind::Namespace,
            Self::NetworkPolicy(_) => EvidenceKind::NetworkPolicy,
            Self::CniPolicy(_) => EvidenceKind::CniPolicy,
            Self::ConfigMap(_) => EvidenceKind::ConfigMap,
            Self::Role(_) => EvidenceKind::Role,
            Self::Binding(_) => EvidenceKind::Binding,
            Self::ServiceAccount(_) => EvidenceKind::ServiceAccount,
            Self::Service(_) => EvidenceKind::Service,
            Self::Ingress(_) => EvidenceKind::Ingress,
            Self::ResourceQuota => EvidenceKind::ResourceQuota,
            Self::LimitRange => EvidenceKind::LimitRange,
            Self::PeerAuthentication(_) => EvidenceKind::PeerAuthentication,
            Self::AuthorizationPolicy(_) => EvidenceKind::AuthorizationPolicy,
            Self::Admission(_) => EvidenceKind::Admission,
            Self::ControlPlane(_) => EvidenceKind::ControlPlane,
            Self::Kubelet(_) => EvidenceKind::Kubelet,
            Self::AuditPolicy(_) => EvidenceKind::AuditPolicy,
            Self::Encryption(_) => EvidenceKind::Encryption,
            Self::Dockerfile(_) => EvidenceKind::Dockerfile,
            Self::ImageConfig(_) => EvidenceKind::ImageConfig,
            Self::Sbom(_) => EvidenceKind::Sbom,
            Self::Scan(_) => EvidenceKind::Scan,
            Self::Signature(_) => EvidenceKind::Signature,
            Self::Provenance(_) => EvidenceKind::Provenance,
            Self::EcrRepositories(_) => EvidenceKind::EcrRepositories,
            Self::EcrScanning(_) => EvidenceKind::EcrScanning,
            Self::Attestation(_) => EvidenceKind::Attestation,
            Self::Policy(_) => EvidenceKind::Policy,
            Self::OtherKubernetes => EvidenceKind::OtherKubernetes,
            Self::Invalid(k, _) => *k,
        }
    }
}

/// What a finding is about.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct Subject {
    /// Kubernetes kind.
    pub kind: Option<Arc<str>>,
    /// Namespace.
    pub namespace: Option<Arc<str>>,
    /// Name.
    pub name: Option<Arc<str>>,
    /// Container name, for container-level findings.
    pub container: Option<Arc<str>>,
    /// Container image, for container-level findings.
    pub image: Option<Arc<str>>,
}

impl Subject {
    /// The subject of an object: its kind, namespace and name.
    pub fn object(
        kind: &Arc<str>,
        namespace: Option<&Arc<str>>,
        name: Option<&Arc<str>>,
    ) -> Arc<Self> {
        Arc::new(Self {
            kind: Some(kind.clone()),
            namespace: namespace.cloned(),
            name: name.cloned(),
            container: None,
            image: None,
        })
    }
}

/// Where an item came from, and what it is called.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Origin {
    /// The file's reported name.
    pub file: Arc<str>,
    /// 0-based document index in the file.
    pub document: usize,
    /// JSON pointer of the item inside its document (empty for the root).
    pub path: Arc<str>,
    /// 1-based line.
    pub line: u32,
    /// Kubernetes kind, or the evidence format (`CycloneDX`, `Dockerfile`, …).
    pub kind: Arc<str>,
    /// `apiVersion`, for Kubernetes-style documents.
    pub api_version: String,
    /// Name.
    pub name: Option<Arc<str>>,
    /// Namespace.
    pub namespace: Option<Arc<str>>,
    /// Kind, namespace and name as a finding subject, shared by the item's findings.
    pub subject: Arc<Subject>,
    /// The object's suppression annotations, when it has any.
    pub suppressions: Option<Arc<[crate::suppressions::Annotation]>>,
    /// The parsed document the item was read from, for Kubernetes objects; the object itself
    /// is at `path` inside it (see [`Origin::object`]). CEL controls and admission policies
    /// evaluate it.
    pub tree: Option<Arc<super::node::Node>>,
}

impl Origin {
    /// The item's Kubernetes object as parsed, when it has one.
    pub fn object(&self) -> Option<&super::node::Node> {
        self.tree.as_deref()?.pointer(&self.path)
    }
}

/// One evidence item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where it came from.
    pub origin: Origin,
    /// Its facts.
    pub evidence: Evidence,
}
