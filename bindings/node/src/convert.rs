//! Value conversion between JS values and the engine's types.

use std::collections::BTreeMap;

use napi::bindgen_prelude::{Buffer, JsObjectValue as _, Unknown};
use napi::{JsValue as _, ValueType};
use napi_derive::napi;

use crate::errors::Pending;

/// Options of `new Engine(options)`.
#[napi(object)]
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EngineOptions {
    /// Load the catalog from this directory instead of the built-in one.
    pub catalog: Option<String>,
    /// Add the user controls and frameworks of these directories to the catalog.
    pub controls: Option<Vec<String>>,
}

/// Options of an evaluation.
#[napi(object)]
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EvaluateOptions {
    /// Profiles to evaluate.
    pub profiles: Option<Vec<String>>,
    /// Controls to evaluate.
    pub controls: Option<Vec<String>>,
    /// Controls left out of the evaluation.
    pub skip_controls: Option<Vec<String>>,
    /// Parameter values.
    pub params: Option<BTreeMap<String, serde_json::Value>>,
    /// Evaluation time (RFC 3339).
    pub now: Option<String>,
    /// Read every input as this evidence kind.
    pub kind: Option<String>,
    /// A policy file's path, or the policy itself (`params`, `profiles`, `controls`,
    /// `skip_controls`), as the CLI's `--policy`: what the other options give wins.
    #[napi(ts_type = "string | Record<string, any>")]
    pub policy: Option<serde_json::Value>,
    /// A waivers file's path, or the waivers: `{ control_id, subject?, justification, owner,
    /// expires }`.
    #[napi(ts_type = "string | Array<Record<string, any>>")]
    pub waivers: Option<serde_json::Value>,
    /// Leave out paths matching these globs (gitignore syntax, as `--exclude`).
    pub exclude: Option<Vec<String>>,
    /// Do not read `.gitignore` and `.hullcheckignore` while walking (as `--no-ignore`).
    pub no_ignore: Option<bool>,
    /// Apply no waiver from annotations on the objects (as `--no-annotation-waivers`).
    pub no_annotation_waivers: Option<bool>,
}

/// Options of `report.gate(options)`, as the CLI's `--fail-on`, `--fail-on-framework`,
/// `--accept-unreadable` and `--accept-empty`.
#[napi(object)]
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GateOptions {
    /// Severity threshold: `critical`, `high`, `medium`, `low` (default) or `never`.
    pub fail_on: Option<String>,
    /// Fail when any requirement of these frameworks fails.
    pub frameworks: Option<Vec<String>>,
    /// Pass although documents could not be read or checks errored.
    pub accept_unreadable: Option<bool>,
    /// Pass although no control reached a verdict.
    pub accept_empty: Option<bool>,
}

/// Options of `report.render(format, options)`: the STIG checklists' target data, as the
/// CLI's `--target-host`, `--target-ip`, `--target-fqdn` and `--target-role`, and OSCAL's
/// `--assessor` and `--oscal-framework`.
#[napi(object)]
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RenderOptions {
    /// The target's host name.
    pub target_host: Option<String>,
    /// The target's IP address.
    pub target_ip: Option<String>,
    /// The target's fully qualified domain name.
    pub target_fqdn: Option<String>,
    /// `None` (default), `Workstation`, `Member Server` or `Domain Controller`.
    pub target_role: Option<String>,
    /// OSCAL: the assessor named in the metadata (default `hullcheck`).
    pub assessor: Option<String>,
    /// OSCAL: the framework whose requirements are the findings (default `nist-800-53r5`).
    pub oscal_framework: Option<String>,
    /// Markdown: link findings under this URL, paths percent-encoded.
    pub link_base: Option<String>,
    /// SARIF: artifact URIs relative to this directory (`SRCROOT`); relative paths are made
    /// absolute against the working directory.
    pub source_root: Option<String>,
    /// SARIF: rules' `helpUri` is this URL of docs/controls.md with the control's section.
    pub help_base: Option<String>,
}

/// Builds the renderer's settings.
pub fn render_options(o: RenderOptions) -> hullcheck::report::RenderOptions {
    hullcheck::report::RenderOptions {
        target: hullcheck::report::stig::Target {
            host_name: o.target_host.unwrap_or_default(),
            host_ip: o.target_ip.unwrap_or_default(),
            host_fqdn: o.target_fqdn.unwrap_or_default(),
            role: o.target_role.unwrap_or_default(),
            ..Default::default()
        },
        link_base: o.link_base,
        assessor: o.assessor,
        oscal_framework: o.oscal_framework,
        source_root: o.source_root.map(|p| {
            let p = std::path::PathBuf::from(p);
            std::path::absolute(&p)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        }),
        help_base: o.help_base,
        color: false,
    }
}

/// Builds the gate's settings.
pub fn gate(o: GateOptions) -> hullcheck::report::Gate {
    let d = hullcheck::report::Gate::default();
    hullcheck::report::Gate {
        fail_on: o.fail_on.unwrap_or(d.fail_on),
        frameworks: o.frameworks.unwrap_or_default(),
        accept_unreadable: o.accept_unreadable.unwrap_or(false),
        accept_empty: o.accept_empty.unwrap_or(false),
    }
}

/// An in-memory evidence document. Declared for the TypeScript interface; `documents` reads
/// the JS values itself, so that a mistake gets a message naming the document.
#[napi(object)]
#[expect(
    dead_code,
    reason = "the TypeScript declaration of what `documents` reads"
)]
pub struct Document {
    /// The name reported as the document's file.
    pub name: String,
    /// The document's text or bytes.
    #[napi(ts_type = "string | Buffer")]
    pub content: serde_json::Value,
}

/// Options read strictly: an unknown key or a value of the wrong type is an `options.invalid`
/// error naming it (JS names, never Rust types); `undefined` and `null` give the defaults.
pub fn strict<T: serde::de::DeserializeOwned + Default>(
    what: &str,
    value: Option<serde_json::Value>,
) -> Result<T, Pending> {
    match value {
        None | Some(serde_json::Value::Null) => Ok(T::default()),
        Some(v) if !v.is_object() => Err(Pending {
            code: "options.invalid".to_owned(),
            message: format!("invalid {what}: expected an object"),
        }),
        Some(v) => serde_json::from_value(v).map_err(|e| Pending {
            code: "options.invalid".to_owned(),
            message: format!("invalid {what}: {e}"),
        }),
    }
}

/// Builds engine options from a JS options object.
pub fn options(value: Option<serde_json::Value>) -> Result<hullcheck::Options, Pending> {
    let o: EvaluateOptions = strict("evaluate options", value)?;
    let waivers = match o.waivers {
        Some(w) => hullcheck::waivers::WaiversFile::waivers_from_value(w).map_err(|e| Pending {
            code: e.code().to_owned(),
            message: e.to_string(),
        })?,
        None => Vec::new(),
    };
    let mut options = hullcheck::Options {
        profiles: o.profiles.unwrap_or_default(),
        controls: o.controls.unwrap_or_default(),
        skip_controls: o.skip_controls.unwrap_or_default(),
        params: o.params.unwrap_or_default(),
        no_annotation_waivers: o.no_annotation_waivers.unwrap_or(false),
        walk: hullcheck::evidence::exclude::WalkOptions {
            exclude: o.exclude.unwrap_or_default(),
            no_ignore_files: o.no_ignore.unwrap_or(false),
            include_default_skipped: false,
        },
        now: o.now,
        kind: o.kind,
        waivers,
        ..hullcheck::Options::default()
    };
    if let Some(p) = o.policy {
        hullcheck::policy::PolicyFile::from_value(p)
            .map_err(|e| Pending {
                code: e.code().to_owned(),
                message: e.to_string(),
            })?
            .apply_under(&mut options);
    }
    Ok(options)
}

/// Paths from `string | string[]`; a path that does not exist is `evidence.missing_path`, as
/// the CLI exits 2 on one.
pub fn paths(value: serde_json::Value) -> Result<Vec<std::path::PathBuf>, Pending> {
    let bad = || Pending {
        code: "evidence.invalid_paths".to_owned(),
        message: "paths must be a string or an array of strings".to_owned(),
    };
    let list: Vec<std::path::PathBuf> = match value {
        serde_json::Value::String(s) => vec![s.into()],
        serde_json::Value::Array(items) => items
            .into_iter()
            .map(|i| match i {
                serde_json::Value::String(s) => Ok(s.into()),
                _ => Err(bad()),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(bad()),
    };
    hullcheck::check_paths(&list).map_err(|e| Pending {
        code: e.code().to_owned(),
        message: e.to_string(),
    })?;
    Ok(list)
}

/// Copies documents (`[{ name, content }]`, content a string or a Buffer) out of JS memory so
/// evaluation can run off the event loop. Shapes are checked here, so a mistake is an
/// `evidence.invalid_document` error that names the document, never a conversion message.
pub fn documents(value: Unknown<'_>) -> Result<Vec<hullcheck::NamedDocument>, Pending> {
    let bad = |message: String| Pending {
        code: "evidence.invalid_document".to_owned(),
        message,
    };
    let shape = || bad("documents must be an array of `{ name, content }`".to_owned());
    if !value.is_array().unwrap_or(false) {
        return Err(shape());
    }
    let list = value.coerce_to_object().map_err(|_| shape())?;
    let len = list.get_array_length().map_err(|_| shape())?;
    let mut out = Vec::new();
    for i in 0..len {
        let item: Unknown<'_> = list.get_element(i).map_err(|_| shape())?;
        if item.get_type().ok() != Some(ValueType::Object) {
            return Err(bad(format!(
                "document {i} must be an object `{{ name, content }}`"
            )));
        }
        let obj = item.coerce_to_object().map_err(|_| shape())?;
        let name: Unknown<'_> = obj.get_named_property("name").map_err(|_| shape())?;
        if name.get_type().ok() != Some(ValueType::String) {
            return Err(bad(format!("document {i}: `name` must be a string")));
        }
        let name: String = obj
            .get_named_property("name")
            .map_err(|_| bad(format!("document {i}: `name` must be a string")))?;
        let content: Unknown<'_> = obj.get_named_property("content").map_err(|_| shape())?;
        let wrong = || {
            bad(format!(
                "document {i} (`{name}`): `content` must be a string or a Buffer"
            ))
        };
        let bytes = if content.get_type().ok() == Some(ValueType::String) {
            obj.get_named_property::<String>("content")
                .map_err(|_| wrong())?
                .into_bytes()
        } else if content.is_buffer().unwrap_or(false) {
            obj.get_named_property::<Buffer>("content")
                .map_err(|_| wrong())?
                .to_vec()
        } else {
            return Err(wrong());
        };
        out.push(hullcheck::NamedDocument { name, bytes });
    }
    Ok(out)
}

/// Any serialisable value as JSON for JS.
pub fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// The findings as a table for `index.js` to build the objects from: every distinct string once
/// (`strings`), each subject once (`subjects`: five string indices, `NONE` for null), and
/// fourteen numbers per finding (`codes`: control, status, severity, layer, message, subject,
/// file, document, line, path, whether it was rendered, and the rendered file, document and
/// line). Building objects in JavaScript from this is several times faster than converting a
/// JSON value through N-API, and gives the same objects (checked against the JSON by the tests).
#[napi(object)]
pub struct FindingsTable {
    /// Distinct strings.
    pub strings: Vec<String>,
    /// Per subject: kind, namespace, name, container, image (string indices).
    pub subjects: napi::bindgen_prelude::Uint32Array,
    /// Per finding: fourteen numbers.
    pub codes: napi::bindgen_prelude::Uint32Array,
}

/// The index of a null string in [`FindingsTable::subjects`].
pub const NONE: u32 = u32::MAX;

#[derive(Default)]
struct Table {
    strings: Vec<String>,
    by_ptr: std::collections::HashMap<usize, u32>,
    by_text: std::collections::HashMap<String, u32>,
}

impl Table {
    fn of(&mut self, s: &std::sync::Arc<str>) -> u32 {
        let key = std::sync::Arc::as_ptr(s).cast::<u8>() as usize;
        if let Some(i) = self.by_ptr.get(&key) {
            return *i;
        }
        let i = self.text(s);
        self.by_ptr.insert(key, i);
        i
    }

    fn text(&mut self, s: &str) -> u32 {
        if let Some(i) = self.by_text.get(s) {
            return *i;
        }
        let i = u32::try_from(self.strings.len()).unwrap_or(NONE);
        self.strings.push(s.to_owned());
        self.by_text.insert(s.to_owned(), i);
        i
    }
}

/// Builds the findings table of a report.
pub fn findings_table(findings: &[hullcheck::report::Finding]) -> FindingsTable {
    let mut t = Table::default();
    let mut subjects: Vec<u32> = Vec::new();
    let mut subject_ix: std::collections::HashMap<usize, u32> = std::collections::HashMap::new();
    let mut codes: Vec<u32> = Vec::with_capacity(findings.len() * 14);
    let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    for f in findings {
        let key = std::sync::Arc::as_ptr(&f.subject) as usize;
        let subject = match subject_ix.get(&key) {
            Some(i) => *i,
            None => {
                let i = n(subjects.len() / 5);
                let s = &f.subject;
                for part in [&s.kind, &s.namespace, &s.name, &s.container, &s.image] {
                    subjects.push(part.as_ref().map_or(NONE, |p| t.of(p)));
                }
                subject_ix.insert(key, i);
                i
            }
        };
        let l = &f.location;
        let status = t.text(f.status.as_str());
        codes.extend([
            t.of(&f.control_id),
            status,
            t.of(&f.severity),
            t.of(&f.layer),
            t.of(&f.message),
            subject,
            t.of(&l.file),
            n(l.document),
            l.line,
            t.of(&l.path),
        ]);
        match &l.rendered {
            Some(r) => codes.extend([1, t.of(&r.file), n(r.document), r.line]),
            None => codes.extend([0, 0, 0, 0]),
        }
    }
    FindingsTable {
        strings: t.strings,
        subjects: subjects.into(),
        codes: codes.into(),
    }
}
