//! The fleet report class: forwarders to `hullcheck::report::fleet`.

use napi::Env;
use napi_derive::napi;

use hullcheck::report::fleet::{self as core, render::FleetFormat};

use crate::{convert, errors};

/// Options of `Report.merge` and `FleetReport.merge`.
#[napi(object)]
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MergeOptions {
    /// The cluster the others are compared with.
    pub reference: Option<String>,
}

/// `parts` merged, or the merge's refusal as a coded error.
pub fn merged(
    env: &Env,
    parts: Vec<core::FleetReport>,
    reference: Option<String>,
) -> napi::Result<FleetReport> {
    core::FleetReport::merge(parts, reference.as_deref())
        .map(|inner| FleetReport { inner })
        .map_err(|e| errors::coded(env, e.code(), e.to_string()))
}

/// The reports of named clusters merged: the clusters with their results, the control ×
/// cluster and framework × cluster matrices, and the divergence from a reference cluster.
/// Merging is order-independent, so fleet reports are the reduce step of any fan-out.
#[napi]
pub struct FleetReport {
    inner: core::FleetReport,
}

#[napi]
impl FleetReport {
    /// Merges fleet reports into one; `options.reference` names the cluster the others are
    /// compared with. Any order and grouping give the same report.
    #[napi(ts_args_type = "fleets: FleetReport[], options?: MergeOptions | undefined | null")]
    pub fn merge(
        env: Env,
        fleets: Vec<&FleetReport>,
        options: Option<serde_json::Value>,
    ) -> napi::Result<FleetReport> {
        let o: MergeOptions =
            convert::strict("merge options", options).map_err(|e| e.into_napi(&env))?;
        merged(
            &env,
            fleets.iter().map(|f| f.inner.clone()).collect(),
            o.reference,
        )
    }

    /// Reads a fleet report from its JSON (`toJSONString()` or `hullcheck merge`).
    #[napi(js_name = "fromJSON")]
    pub fn from_json(env: Env, text: String) -> napi::Result<FleetReport> {
        core::FleetReport::from_json(&text)
            .map(|inner| FleetReport { inner })
            .map_err(|e| errors::coded(&env, e.code(), e.to_string()))
    }

    /// The fleet report as a plain object.
    #[napi(js_name = "toJSON", ts_return_type = "FleetReportData")]
    pub fn to_json(&self) -> serde_json::Value {
        convert::json(&self.inner)
    }

    /// The fleet report as JSON text, byte-identical to `hullcheck merge`.
    #[napi(js_name = "toJSONString")]
    pub fn to_json_string(&self) -> String {
        self.inner.to_json()
    }

    /// Renders the fleet report: json, text, markdown or html.
    #[napi]
    pub fn render(&self, env: Env, format: String) -> napi::Result<String> {
        let f: FleetFormat = format
            .parse()
            .map_err(|e: core::render::UnknownFleetFormat| {
                errors::coded(&env, e.code(), e.to_string())
            })?;
        Ok(core::render::render(&self.inner, f))
    }

    /// The reference cluster, when one is named.
    #[napi(getter)]
    pub fn reference(&self) -> Option<String> {
        self.inner.reference.clone()
    }

    /// The clusters, sorted by name (cached).
    #[napi(getter, ts_return_type = "Cluster[]")]
    pub fn clusters(&self) -> serde_json::Value {
        convert::json(&self.inner.clusters)
    }

    /// The control × cluster matrix, sorted by control (cached).
    #[napi(getter, ts_return_type = "ControlRow[]")]
    pub fn controls(&self) -> serde_json::Value {
        convert::json(&self.inner.controls)
    }

    /// The framework × cluster matrix, sorted by framework (cached).
    #[napi(getter, ts_return_type = "FrameworkRow[]")]
    pub fn frameworks(&self) -> serde_json::Value {
        convert::json(&self.inner.frameworks)
    }

    /// Controls that pass on the reference cluster and not on others (cached).
    #[napi(getter, ts_return_type = "Divergence[]")]
    pub fn divergence(&self) -> serde_json::Value {
        convert::json(&self.inner.divergence)
    }

    /// Totals over the fleet (cached).
    #[napi(getter, ts_return_type = "FleetSummary")]
    pub fn summary(&self) -> serde_json::Value {
        convert::json(&self.inner.summary)
    }

    /// True unless every cluster passed.
    #[napi(getter)]
    pub fn has_failures(&self) -> bool {
        self.inner.has_failures()
    }
}
