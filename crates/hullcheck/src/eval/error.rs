//! Errors of engine construction and of evaluation options.

use thiserror::Error;

use crate::catalog::CatalogError;

/// Why an engine could not be built.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EngineError {
    /// The catalog is invalid.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A control names an evidence kind that does not exist.
    #[error("control `{control}` names unknown evidence kind `{kind}`")]
    UnknownEvidenceKind {
        /// The control.
        control: String,
        /// The kind.
        kind: String,
    },
    /// A control names a built-in check that does not exist.
    #[error("control `{control}` names unknown built-in check `{name}`")]
    UnknownCheck {
        /// The control.
        control: String,
        /// The check name.
        name: String,
    },
}

impl EngineError {
    /// The stable dotted code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Catalog(e) => e.code(),
            Self::UnknownCheck { .. } => "catalog.unknown_check",
            Self::UnknownEvidenceKind { .. } => "catalog.unknown_evidence_kind",
        }
    }
}

/// Why evaluation options were refused.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum OptionsError {
    /// A `--exclude` glob the matcher refuses.
    #[error(transparent)]
    BadExclude(#[from] crate::evidence::exclude::ExcludeError),
    /// The controls of the evidence's admission policies could not join the catalog.
    #[error("the admission policies of the evidence cannot be added as controls: {0}")]
    AdmissionControls(String),
    /// No such profile.
    #[error("unknown profile `{name}`{hint}")]
    UnknownProfile {
        /// The profile given.
        name: String,
        /// `; did you mean `x`?` when a known one is close, else empty.
        hint: String,
    },
    /// No such control.
    #[error("unknown control `{name}`{hint}")]
    UnknownControl {
        /// The control given.
        name: String,
        /// `; did you mean `x`?` when a known one is close, else empty.
        hint: String,
    },
    /// No control declares this parameter.
    #[error("unknown parameter `{name}`{hint} (known: {known})")]
    UnknownParam {
        /// The parameter.
        name: String,
        /// `; did you mean `x`?` when a known one is close, else empty.
        hint: String,
        /// The known parameters, comma-separated.
        known: String,
    },
    /// A parameter value does not have the declared type or is out of range.
    #[error("invalid value `{value}` for parameter `{name}`: {reason}")]
    BadParamValue {
        /// The parameter.
        name: String,
        /// The value given.
        value: String,
        /// Why it is invalid.
        reason: String,
    },
    /// `now` is not an RFC 3339 time.
    #[error("invalid time `{0}`: expected RFC 3339, for example `2026-06-01T00:00:00Z`")]
    BadNow(String),
    /// The caller cancelled the evaluation ([`crate::Progress::cancelled`]): no report, never a
    /// partial one.
    #[error("the evaluation was cancelled")]
    Cancelled,
    /// No such evidence kind.
    #[error("unknown evidence kind `{kind}` (known: {known})")]
    UnknownKind {
        /// The kind given.
        kind: String,
        /// The known kinds.
        known: String,
    },
    /// A waiver names a control the catalog lacks.
    #[error("waiver for unknown control `{name}`{hint}")]
    UnknownWaiverControl {
        /// The control ID.
        name: String,
        /// `; did you mean `x`?` when a known one is close, else empty.
        hint: String,
    },
    /// A waiver is invalid.
    #[error("invalid waiver: {0}")]
    BadWaiver(String),
    /// The profiles and controls named select nothing.
    #[error("the profiles and controls named select no control")]
    EmptySelection,
    /// A gate severity that is none of `critical`, `high`, `medium`, `low`, `never`.
    #[error("invalid gate severity `{0}`: expected critical, high, medium, low or never")]
    BadFailOn(String),
    /// A gate framework the report does not have.
    #[error("unknown framework `{name}` in the gate{hint}")]
    UnknownFramework {
        /// The framework given.
        name: String,
        /// `; did you mean `x`?` when a known one is close, else empty.
        hint: String,
    },
    /// An OSCAL framework the catalog does not have.
    #[error("unknown framework `{0}` for the OSCAL findings")]
    UnknownOscalFramework(String),
    /// A checklist target role STIG Viewer does not accept.
    #[error(
        "unknown target role `{0}` (known: None, Workstation, Member Server, Domain Controller)"
    )]
    BadTargetRole(String),
}

impl OptionsError {
    /// The stable dotted code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadExclude(_) => "options.bad_exclude",
            Self::UnknownProfile { .. } => "options.unknown_profile",
            Self::UnknownControl { .. } => "options.unknown_control",
            Self::UnknownParam { .. } => "options.unknown_param",
            Self::BadParamValue { .. } => "options.bad_param_value",
            Self::BadNow(_) => "options.bad_now",
            Self::Cancelled => "evaluation.cancelled",
            Self::EmptySelection => "options.empty_selection",
            Self::AdmissionControls(_) => "options.admission_controls",
            Self::BadWaiver(_) => "options.waivers",
            Self::UnknownWaiverControl { .. } => "options.unknown_waiver_control",
            Self::UnknownKind { .. } => "options.unknown_kind",
            Self::BadFailOn(_) => "options.bad_fail_on",
            Self::UnknownFramework { .. } | Self::UnknownOscalFramework(_) => {
                "options.unknown_framework"
            }
            Self::BadTargetRole(_) => "options.bad_target_role",
        }
    }
}

/// `; did you mean `x`?` for the known name closest to `given` (case-insensitive, within a
/// third of its length), else an empty string.
pub fn did_you_mean<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let g = given.to_ascii_lowercase();
    let limit = (g.chars().count() / 3).max(2);
    known
        .into_iter()
        .map(|k| (strsim::levenshtein(&g, &k.to_ascii_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, k)| format!("; did you mean `{k}`?"))
        .unwrap_or_default()
}
