//! The registry of built-in checks other than the Pod Security Standards, by name.

pub mod apis;
pub mod attest;
pub mod audit;
pub mod cluster;
pub mod controlplane;
pub mod credentials;
pub mod image;
pub mod kubelet;
pub mod literal;
pub mod network;
pub mod pss;
pub mod rbac;
pub mod rbac_rights;
pub mod rbac_workloads;
pub mod registry;
pub mod supply;
pub mod tls;
pub mod workload;

use super::CheckFn;

/// Built-in checks by registered name.
pub const REGISTRY: &[(&str, CheckFn)] = &[
    ("apis.removed", apis::removed),
    ("attestation", attest::attested),
    ("attestation.retention", attest::retention),
    ("audit.catch_all", audit::catch_all),
    ("audit.sensitive_levels", audit::sensitive_levels),
    ("cluster.cni_enforces", cluster::cni_enforces),
    ("cluster.default_deny_egress", cluster::default_deny_egress),
    (
        "cluster.default_deny_ingress",
        cluster::default_deny_ingress,
    ),
    ("cluster.enforcing_admission", cluster::enforcing_admission),
    ("cluster.image_verification", cluster::image_verification),
    ("cluster.log_shipper", cluster::log_shipper),
    ("cluster.metadata_blocked", cluster::metadata_blocked),
    (
        "cluster.namespaces_restricted",
        cluster::namespaces_restricted,
    ),
    ("cluster.quota_and_limits", cluster::quota_and_limits),
    ("cluster.runtime_detection", cluster::runtime_detection),
    (
        "controlplane.admission_plugins",
        controlplane::admission_plugins,
    ),
    ("controlplane.anonymous_auth", controlplane::anonymous_auth),
    ("controlplane.apiserver_tls", controlplane::apiserver_tls),
    ("controlplane.audit_enabled", controlplane::audit_enabled),
    ("controlplane.audit_rotation", controlplane::audit_rotation),
    (
        "controlplane.authorization_mode",
        controlplane::authorization_mode,
    ),
    (
        "controlplane.encryption_at_rest",
        controlplane::encryption_at_rest,
    ),
    (
        "controlplane.etcd_client_certs",
        controlplane::etcd_client_certs,
    ),
    ("controlplane.etcd_tls", controlplane::etcd_tls),
    ("controlplane.profiling_bind", controlplane::profiling_bind),
    (
        "controlplane.service_account_credentials",
        controlplane::service_account_credentials,
    ),
    ("credentials.literal", literal::literal_credentials),
    (
        "controlplane.request_timeout",
        controlplane::request_timeout,
    ),
    ("image.base_pinned", image::base_pinned),
    ("image.copy_not_add", image::copy_not_add),
    ("image.healthcheck", image::healthcheck),
    ("image.minimal_packages", image::minimal_packages),
    ("image.no_secrets", image::no_secrets),
    ("image.non_root_user", image::non_root_user),
    ("image.update_not_alone", image::update_not_alone),
    ("kubelet.authn_authz", kubelet::authn_authz),
    ("kubelet.hardening", kubelet::hardening),
    ("kubelet.read_only_port", kubelet::read_only_port),
    ("kubelet.tls", kubelet::tls),
    ("network.exposure_approved", network::exposure_approved),
    ("network.ingress_snippets", network::ingress_snippets),
    ("network.ingress_tls", network::ingress_tls),
    ("network.mesh_authorization", network::mesh_authorization),
    ("network.mesh_mtls", network::mesh_mtls),
    ("rbac.cluster_admin", rbac::cluster_admin),
    ("rbac.escalation", rbac::escalation),
    ("rbac.open_bindings", rbac::open_bindings),
    ("rbac.no_wildcards", rbac::no_wildcards),
    ("rbac.secret_access", rbac::secret_access),
    ("registry.approved", workload::approved_registry),
    ("registry.continuous_scan", registry::continuous_scan),
    ("registry.digest_pinned", workload::digest_pinned),
    ("registry.encryption", registry::encryption),
    ("registry.no_latest", workload::no_latest),
    ("registry.pull_policy", workload::pull_policy),
    ("registry.scan_on_push", registry::scan_on_push),
    ("registry.tag_immutability", registry::tag_immutability),
    ("supply.os_supported", supply::os_supported),
    ("supply.provenance", supply::provenance),
    ("supply.sbom_for_images", supply::sbom_for_images),
    ("supply.sbom_ntia", supply::sbom_ntia),
    ("supply.scan_for_images", supply::scan_for_images),
    ("supply.scan_fresh", supply::scan_fresh),
    ("supply.signature_for_images", supply::signature_for_images),
    (
        "supply.vulnerability_threshold",
        supply::vulnerability_threshold,
    ),
    ("rbac.create_workloads", rbac_rights::create_workloads),
    ("rbac.pod_access", rbac_rights::pod_access),
    (
        "rbac.kube_system_config_maps",
        rbac_rights::kube_system_config_maps,
    ),
    ("rbac.workload_admin", rbac_workloads::workload_admin),
    ("workload.automount_token", workload::automount_token),
    ("workload.naked_pods", workload::naked_pods),
    ("workload.risky_tools", workload::risky_tools),
    (
        "workload.default_service_account",
        workload::default_service_account,
    ),
    ("workload.mac_profile_set", workload::mac_profile_set),
    ("workload.secrets_as_files", workload::secrets_as_files),
    ("workload.non_root_groups", workload::non_root_groups),
    (
        "workload.not_default_namespace",
        workload::not_default_namespace,
    ),
    ("workload.probes", workload::probes),
    ("workload.read_only_root_fs", workload::read_only_root_fs),
    ("workload.resources", workload::resources),
    ("workload.runtime_socket", workload::runtime_socket),
];
