//! Supply-chain evidence: SBOMs, vulnerability reports, signatures and provenance, image
//! configs and registry settings.

pub mod registry;
pub mod sbom;
pub mod scan;
pub mod signing;

pub use registry::{
    read_ecr_repositories, read_ecr_scanning, read_image_config, EcrRepository, EcrScanningFacts,
    ImageConfigFacts,
};
pub use sbom::{read_cyclonedx, read_cyclonedx_vulnerabilities, read_spdx, Component, SbomFacts};
pub use scan::{read_grype, read_trivy, ScanFacts, Vulnerability};
pub use signing::{
    base64_decode, read_cosign_item, read_statement, ProvenanceFacts, SignatureFacts,
};
