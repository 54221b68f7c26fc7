//! Waivers: explicit, owned, expiring risk acceptance. A live waiver turns a matching `fail`
//! into `waived` (the message is kept); an expired one is reported and not applied.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::evidence::kinds::hullcheck::parse_time;
use crate::report::{Finding, Status, Subject};

/// The subject a waiver covers; every field given must match the finding's. Each field is a
/// glob: `*` any run of characters (`/` included, so `registry.example.com/*` covers every
/// image there), `?` one character, `[abc]` a class, `{a,b}` alternatives; a value without
/// those characters matches itself only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverSubject {
    /// Kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    /// Image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl WaiverSubject {
    /// The fields given, by name.
    fn fields(&self) -> [(&'static str, Option<&str>); 5] {
        [
            ("kind", self.kind.as_deref()),
            ("namespace", self.namespace.as_deref()),
            ("name", self.name.as_deref()),
            ("container", self.container.as_deref()),
            ("image", self.image.as_deref()),
        ]
    }

    /// Compiles the fields' globs; a field that is not a glob is refused with its name.
    fn compile(&self) -> Result<SubjectMatcher, String> {
        let mut out: [Option<globset::GlobMatcher>; 5] = Default::default();
        for (slot, (field, value)) in out.iter_mut().zip(self.fields()) {
            if let Some(v) = value {
                let glob = globset::GlobBuilder::new(v)
                    .literal_separator(false)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| {
                        format!("`subject.{field}` value `{v}` is not a glob: {}", e.kind())
                    })?;
                *slot = Some(glob.compile_matcher());
            }
        }
        Ok(SubjectMatcher(out))
    }
}

/// A subject's compiled globs, in [`WaiverSubject::fields`] order.
struct SubjectMatcher([Option<globset::GlobMatcher>; 5]);

impl SubjectMatcher {
    fn matches(&self, s: &Subject) -> bool {
        let values = [&s.kind, &s.namespace, &s.name, &s.container, &s.image];
        self.0.iter().zip(values).all(|(glob, value)| match glob {
            None => true,
            Some(g) => value.as_deref().is_some_and(|v| g.is_match(v)),
        })
    }
}

/// One waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The control waived.
    pub control_id: String,
    /// The subject covered (empty covers every subject of the control).
    #[serde(default)]
    pub subject: WaiverSubject,
    /// Why the risk is accepted.
    pub justification: String,
    /// Who owns the decision.
    pub owner: String,
    /// When the waiver stops applying: a date (`YYYY-MM-DD`, midnight UTC) or an RFC 3339 time.
    pub expires: String,
    /// The change or risk ticket that records the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// Who approved the risk acceptance, when not the owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_by: Option<String>,
    /// Where the waiver came from, when not a waivers file: an inline annotation on the object
    /// (`hullcheck.dev/waive.<control>`), or another tool's suppression annotation read through
    /// the crosswalk (such waivers have no expiry of their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<WaiverSource>,
}

/// The origin of a waiver that was not in a waivers file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiverSource {
    /// `annotation` (hullcheck's own) or `foreign-annotation` (checkov, kube-linter, Polaris).
    pub kind: String,
    /// The annotation key as written on the object.
    pub annotation: String,
    /// The other tool (`checkov`, `kube-linter`, `polaris`) and its check ID, for a foreign one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<String>,
    /// The other tool's check ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    /// The file and line of the annotated object.
    pub file: String,
    /// Line of the annotation.
    pub line: u32,
}

/// A waivers file: `{waivers: [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaiversFile {
    /// The waivers.
    pub waivers: Vec<Waiver>,
}

/// Why a waivers file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid waivers file `{file}`: {message}")]
pub struct WaiverError {
    /// The file.
    pub file: String,
    /// What is wrong, naming the waiver and field.
    pub message: String,
}

impl WaiverError {
    /// The stable dotted code.
    pub fn code(&self) -> &'static str {
        "options.waivers"
    }
}

impl WaiversFile {
    /// Waivers given as a value, as the bindings take them: a string is a waivers file's path,
    /// an object a waivers file's content, a list the waivers themselves.
    pub fn waivers_from_value(value: serde_json::Value) -> Result<Vec<Waiver>, WaiverError> {
        match value {
            serde_json::Value::String(path) => {
                Self::load(std::path::Path::new(&path)).map(|w| w.waivers)
            }
            v @ serde_json::Value::Object(_) => {
                Self::parse("waivers", &v.to_string()).map(|w| w.waivers)
            }
            v => Self::parse("waivers", &serde_json::json!({ "waivers": v }).to_string())
                .map(|w| w.waivers),
        }
    }

    /// Reads and parses the waivers file at `path`.
    pub fn load(path: &std::path::Path) -> Result<Self, WaiverError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| WaiverError {
            file: file.clone(),
            message: format!("cannot read it: {e}"),
        })?;
        Self::parse(&file, &text)
    }

    /// Parses and validates a waivers file (YAML or JSON).
    pub fn parse(file: &str, text: &str) -> Result<Self, WaiverError> {
        let err = |message: String| WaiverError {
            file: file.to_owned(),
            message,
        };
        let json = crate::evidence::yaml::first_document_json(text).map_err(err)?;
        // Name missing required fields before serde's generic message.
        if let Some(list) = json.get("waivers").and_then(|w| w.as_array()) {
            for (i, w) in list.iter().enumerate() {
                for field in ["control_id", "justification", "owner", "expires"] {
                    if w.get(field)
                        .is_none_or(|v| v.is_null() || v.as_str().is_some_and(str::is_empty))
                    {
                        return Err(err(format!("waiver {i} has no `{field}`")));
                    }
                }
            }
        }
        let parsed: Self = serde_path_to_error::deserialize(json).map_err(|e| {
            let at = e.path().to_string();
            err(format!("at `{at}`: {}", e.into_inner()))
        })?;
        parsed.validate().map_err(err)?;
        Ok(parsed)
    }

    /// Checks that every expiry is a date or an RFC 3339 time and every subject field a glob.
    pub fn validate(&self) -> Result<(), String> {
        for (i, w) in self.waivers.iter().enumerate() {
            w.subject
                .compile()
                .map_err(|e| format!("waiver {i} (`{}`): {e}", w.control_id))?;
            if w.source.is_some() {
                return Err(format!(
                    "waiver {i} (`{}`): `source` is set by hullcheck for annotation waivers, not written",
                    w.control_id
                ));
            }
            if parse_time(&w.expires).is_none() {
                return Err(format!(
                    "waiver {i} (`{}`): `expires` value `{}` is not a date or an RFC 3339 time",
                    w.control_id, w.expires
                ));
            }
        }
        Ok(())
    }
}

/// What became of one waiver in an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WaiverState {
    /// Live and covering at least one failing finding.
    Applied,
    /// Past its expiry: not applied.
    Expired,
    /// Live but matching no failing finding.
    Unused,
    /// A suppression annotation that is reported and not applied (another tool's check that
    /// covers only part of a control, or has no counterpart); see `problem`.
    NotApplied,
    /// An inline waiver annotation that is not a valid waiver; see `problem`.
    Invalid,
}

impl WaiverState {
    /// The state's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Expired => "expired",
            Self::Unused => "unused",
            Self::NotApplied => "not applied",
            Self::Invalid => "invalid",
        }
    }
}

impl WaiverResult {
    /// Owner and expiry as reports show them; another tool's annotation has neither.
    pub fn terms(&self) -> String {
        let w = &self.waiver;
        match &w.source {
            Some(s) if s.kind == "foreign-annotation" => format!(
                "{} annotation `{}` at {}:{}, no expiry",
                s.tool.as_deref().unwrap_or("foreign"),
                s.annotation,
                s.file,
                s.line
            ),
            Some(s) => format!(
                "owner {}, expires {}, annotation at {}:{}",
                w.owner, w.expires, s.file, s.line
            ),
            None => format!("owner {}, expires {}", w.owner, w.expires),
        }
    }
}

/// A finding a waiver covered (or would have, had it not expired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CoveredFinding {
    /// Control.
    pub control_id: String,
    /// Subject.
    pub subject: Subject,
    /// File.
    pub file: String,
    /// Line.
    pub line: u32,
}

/// A waiver and its outcome, as listed in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct WaiverResult {
    /// The waiver as given.
    #[serde(flatten)]
    pub waiver: Waiver,
    /// Its state.
    pub state: WaiverState,
    /// The findings it covered.
    pub findings: Vec<CoveredFinding>,
    /// Why it was not applied, for the `not_applied` and `invalid` states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Applies waivers, then the inline ones of the evidence's annotations, to findings at `now`;
/// returns every waiver's result. A waiver from another tool's annotation has no expiry.
pub fn apply(
    file_waivers: &[Waiver],
    inline: Vec<crate::suppressions::Inline>,
    findings: &mut [Finding],
    now: jiff::Timestamp,
) -> Vec<WaiverResult> {
    use crate::suppressions::Inline;
    let mut waivers: Vec<Waiver> = file_waivers.to_vec();
    let mut unapplied = Vec::new();
    for i in inline {
        match i {
            Inline::Apply(w) => waivers.push(w),
            Inline::NotApplied(w, why) => unapplied.push((w, WaiverState::NotApplied, why)),
            Inline::Invalid(w, why) => unapplied.push((w, WaiverState::Invalid, why)),
        }
    }
    let mut results = apply_list(&waivers, findings, now);
    results.extend(
        unapplied
            .into_iter()
            .map(|(waiver, state, why)| WaiverResult {
                waiver,
                state,
                findings: Vec::new(),
                problem: Some(why),
            }),
    );
    results
}

fn apply_list(
    waivers: &[Waiver],
    findings: &mut [Finding],
    now: jiff::Timestamp,
) -> Vec<WaiverResult> {
    let mut covered: BTreeMap<usize, Vec<CoveredFinding>> = BTreeMap::new();
    // Validated before evaluation; a subject that still fails to compile matches nothing.
    let matchers: Vec<Option<SubjectMatcher>> =
        waivers.iter().map(|w| w.subject.compile().ok()).collect();
    let live: Vec<bool> = waivers
        .iter()
        .map(|w| {
            let foreign = w
                .source
                .as_ref()
                .is_some_and(|s| s.kind == "foreign-annotation");
            foreign || parse_time(&w.expires).is_some_and(|t| t > now)
        })
        .collect();
    for f in findings.iter_mut().filter(|f| f.status == Status::Fail) {
        let matching = waivers.iter().enumerate().filter(|(i, w)| {
            *w.control_id == *f.control_id
                && matchers
                    .get(*i)
                    .and_then(Option::as_ref)
                    .is_some_and(|m| m.matches(&f.subject))
        });
        let mut applied = false;
        for (i, _) in matching {
            covered.entry(i).or_default().push(CoveredFinding {
                control_id: f.control_id.to_string(),
                subject: Subject::clone(&f.subject),
                file: f.location.file.to_string(),
                line: f.location.line,
            });
            if live.get(i).copied().unwrap_or(false) && !applied {
                applied = true;
            }
        }
        if applied {
            f.status = Status::Waived;
        }
    }
    waivers
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let findings = covered.remove(&i).unwrap_or_default();
            let state = match (live.get(i).copied().unwrap_or(false), findings.is_empty()) {
                (false, _) => WaiverState::Expired,
                (true, true) => WaiverState::Unused,
                (true, false) => WaiverState::Applied,
            };
            WaiverResult {
                waiver: w.clone(),
                state,
                findings,
                problem: None,
            }
        })
        .collect()
}
