//! Catalog and graph queries on an [`Engine`], as the CLI and the bindings expose them.

use crate::catalog::views::{ControlView, FrameworkView, LayerView, PracticeView};
use crate::engine::Engine;
use crate::graph::{Coverage, GraphExport, RequirementRef};

impl Engine {
    /// Every control, as `hullcheck catalog controls` lists it.
    ///
    /// ```
    /// let engine = hullcheck::Engine::builtin().unwrap();
    /// let controls = engine.controls();
    /// assert!(controls.iter().any(|c| c.control_id == "NET-001" && c.layer == "network"));
    /// ```
    pub fn controls(&self) -> Vec<ControlView> {
        self.catalog().control_views(self.graph())
    }

    /// Every framework with its requirements and the controls behind each.
    pub fn frameworks(&self) -> Vec<FrameworkView> {
        self.catalog().framework_views(self.graph())
    }

    /// Every lifecycle practice with the controls that evidence it.
    pub fn practices(&self) -> Vec<PracticeView> {
        self.catalog().practice_views(self.graph())
    }

    /// The six layers with their reference-table rows and controls.
    pub fn layers(&self) -> Vec<LayerView> {
        self.catalog().layer_views(self.graph())
    }

    /// Requirements a control evidences, including FedRAMP baselines reached through 800-53.
    ///
    /// ```
    /// let engine = hullcheck::Engine::builtin().unwrap();
    /// let reqs = engine.requirements_for_control("RUN-003");
    /// assert!(reqs.iter().any(|r| r.framework_id == "fedramp-r5-moderate" && r.requirement_id == "AC-6(10)"));
    /// ```
    pub fn requirements_for_control(&self, control: &str) -> Vec<RequirementRef> {
        self.graph().requirements_for_control(control)
    }

    /// Controls that evidence a requirement.
    ///
    /// ```
    /// let engine = hullcheck::Engine::builtin().unwrap();
    /// assert!(engine.controls_for_requirement("hipaa-security-rule", "164.312(b)").contains(&"LOG-001".to_owned()));
    /// ```
    pub fn controls_for_requirement(&self, framework: &str, requirement: &str) -> Vec<String> {
        self.graph()
            .controls_for_requirement(framework, requirement)
    }

    /// Per-framework coverage of requirements by controls.
    pub fn coverage(&self) -> Vec<Coverage> {
        self.graph().coverage(self.catalog())
    }

    /// The catalog graph as nodes and edges.
    pub fn graph_json(&self) -> GraphExport {
        self.graph().export()
    }

    /// The catalog graph in Graphviz DOT syntax.
    pub fn graph_dot(&self) -> String {
        self.graph().to_dot()
    }
}
