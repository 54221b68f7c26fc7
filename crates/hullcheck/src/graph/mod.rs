//! The catalog as a typed graph (petgraph): layers, phases, practices, profiles, controls,
//! sources, frameworks and requirements as nodes; what links them as typed edges.
//!
//! A baseline requirement (FedRAMP) points at the 800-53 requirement it selects, so a control
//! mapped to an 800-53 requirement reaches every baseline that contains it.

pub mod export;

pub use export::{GraphEdge, GraphExport};

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use crate::catalog::Catalog;

/// The kind of a graph node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// A security layer.
    Layer,
    /// A lifecycle phase.
    Phase,
    /// A lifecycle practice (checklist item).
    Practice,
    /// A profile.
    Profile,
    /// A control.
    Control,
    /// An item of a cited standard.
    Source,
    /// A framework.
    Framework,
    /// A framework requirement.
    Requirement,
}

/// The kind of a graph edge; edges point from the dependent item to what it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// control → layer.
    InLayer,
    /// control → practice.
    Evidences,
    /// control → profile.
    InProfile,
    /// control → source.
    Cites,
    /// control → requirement.
    MapsTo,
    /// requirement → framework.
    RequirementOf,
    /// baseline requirement → the base framework requirement it selects.
    Selects,
    /// practice → phase.
    PracticeOf,
    /// phase → layer.
    PhaseOf,
    /// layer → framework or requirement of the reference table.
    References,
}

/// A node: its kind, unique key and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphNode {
    /// The kind.
    pub kind: NodeKind,
    /// Unique key, `kind:id` (requirements: `requirement:framework:id`).
    pub key: String,
    /// Human label.
    pub label: String,
}

/// A requirement named by framework and identifier.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RequirementRef {
    /// Framework identifier.
    pub framework_id: String,
    /// Requirement identifier.
    pub requirement_id: String,
}

/// Coverage of one framework by the catalog's controls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// Framework identifier.
    pub framework_id: String,
    /// Requirements in the framework.
    pub requirements: usize,
    /// Requirements with at least one control.
    pub covered: usize,
    /// `covered / requirements`, 0 when the framework is empty.
    pub ratio: f64,
}

/// The catalog graph.
#[derive(Debug, Clone)]
pub struct CatalogGraph {
    graph: DiGraph<GraphNode, EdgeKind>,
    index: BTreeMap<String, NodeIndex>,
}

fn req_key(framework: &str, id: &str) -> String {
    format!("requirement:{framework}:{id}")
}

impl CatalogGraph {
    /// Builds the graph of a catalog.
    pub fn build(catalog: &Catalog) -> Self {
        let mut g = Self {
            graph: DiGraph::new(),
            index: BTreeMap::new(),
        };
        for l in &catalog.layers {
            g.node(NodeKind::Layer, format!("layer:{}", l.id), &l.title);
        }
        for p in &catalog.profiles {
            g.node(NodeKind::Profile, format!("profile:{}", p.id), &p.title);
        }
        for phase in &catalog.phases {
            let ph = g.node(NodeKind::Phase, format!("phase:{}", phase.id), &phase.title);
            g.edge_to(ph, &format!("layer:{}", phase.layer), EdgeKind::PhaseOf);
            for p in &phase.practices {
                let n = g.node(NodeKind::Practice, format!("practice:{}", p.id), &p.title);
                g.graph.add_edge(n, ph, EdgeKind::PracticeOf);
            }
        }
        for fw in &catalog.frameworks {
            let f = g.node(
                NodeKind::Framework,
                format!("framework:{}", fw.id),
                &fw.title,
            );
            for r in &fw.requirements {
                let title = catalog.requirement_title(&fw.id, &r.id).unwrap_or("");
                let n = g.node(
                    NodeKind::Requirement,
                    req_key(&fw.id, &r.id),
                    &format!("{} {}", r.id, title),
                );
                g.graph.add_edge(n, f, EdgeKind::RequirementOf);
            }
        }
        for fw in &catalog.frameworks {
            if let Some(base) = &fw.baseline_of {
                for r in &fw.requirements {
                    if let Some(n) = g.index.get(&req_key(&fw.id, &r.id)).copied() {
                        g.edge_to(n, &req_key(base, &r.id), EdgeKind::Selects);
                    }
                }
            }
        }
        for l in &catalog.layers {
            let Some(ln) = g.index.get(&format!("layer:{}", l.id)).copied() else {
                continue;
            };
            for r in &l.regulatory_references {
                if let Some(fw) = &r.framework {
                    match (&r.requirement, &r.family) {
                        (Some(req), _) => g.edge_to(ln, &req_key(fw, req), EdgeKind::References),
                        (None, Some(family)) => {
                            let prefix = format!("requirement:{fw}:{family}-");
                            let targets: Vec<NodeIndex> = g
                                .index
                                .range(prefix.clone()..)
                                .take_while(|(k, _)| k.starts_with(&prefix))
                                .map(|(_, v)| *v)
                                .collect();
                            for t in targets {
                                g.graph.add_edge(ln, t, EdgeKind::References);
                            }
                        }
                        (None, None) => {
                            g.edge_to(ln, &format!("framework:{fw}"), EdgeKind::References)
                        }
                    }
                }
            }
        }
        for c in &catalog.controls {
            let n = g.node(NodeKind::Control, format!("control:{}", c.id), &c.title);
            g.edge_to(n, &format!("layer:{}", c.layer), EdgeKind::InLayer);
            for p in &c.practices {
                g.edge_to(n, &format!("practice:{p}"), EdgeKind::Evidences);
            }
            for p in &c.profiles {
                g.edge_to(n, &format!("profile:{p}"), EdgeKind::InProfile);
            }
            for s in &c.sources {
                let key = format!("source:{}:{}", s.standard, s.id);
                let label = format!("{} {}", s.standard, s.id);
                let sn = g.node(NodeKind::Source, key, &label);
                g.graph.add_edge(n, sn, EdgeKind::Cites);
            }
            for (fw, ids) in &c.mappings {
                for id in ids {
                    g.edge_to(n, &req_key(fw, id), EdgeKind::MapsTo);
                }
            }
        }
        g
    }

    fn node(&mut self, kind: NodeKind, key: String, label: &str) -> NodeIndex {
        if let Some(i) = self.index.get(&key) {
            return *i;
        }
        let i = self.graph.add_node(GraphNode {
            kind,
            key: key.clone(),
            label: label.to_owned(),
        });
        self.index.insert(key, i);
        i
    }

    fn edge_to(&mut self, from: NodeIndex, to_key: &str, kind: EdgeKind) {
        if let Some(to) = self.index.get(to_key).copied() {
            self.graph.add_edge(from, to, kind);
        }
    }

    fn neighbors(
        &self,
        n: NodeIndex,
        dir: Direction,
        kind: EdgeKind,
    ) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph
            .edges_directed(n, dir)
            .filter(move |e| *e.weight() == kind)
            .map(move |e| {
                if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                }
            })
    }

    fn id_of(&self, n: NodeIndex) -> Option<&str> {
        let node = self.graph.node_weight(n)?;
        node.key.rsplit_once(':').map(|(_, id)| id)
    }

    fn requirement_of(&self, n: NodeIndex) -> Option<RequirementRef> {
        let node = self.graph.node_weight(n)?;
        let rest = node.key.strip_prefix("requirement:")?;
        let (fw, id) = rest.split_once(':')?;
        Some(RequirementRef {
            framework_id: fw.to_owned(),
            requirement_id: id.to_owned(),
        })
    }

    /// Controls mapped to a requirement; a baseline requirement takes those of what it selects.
    pub fn controls_for_requirement(&self, framework: &str, requirement: &str) -> Vec<String> {
        let Some(r) = self.index.get(&req_key(framework, requirement)).copied() else {
            return Vec::new();
        };
        let mut targets = vec![r];
        targets.extend(self.neighbors(r, Direction::Outgoing, EdgeKind::Selects));
        let out: BTreeSet<String> = targets
            .into_iter()
            .flat_map(|t| self.neighbors(t, Direction::Incoming, EdgeKind::MapsTo))
            .filter_map(|c| self.id_of(c).map(str::to_owned))
            .collect();
        out.into_iter().collect()
    }

    /// Requirements a control evidences, directly and through the baselines that select them.
    pub fn requirements_for_control(&self, control: &str) -> Vec<RequirementRef> {
        let Some(c) = self.index.get(&format!("control:{control}")).copied() else {
            return Vec::new();
        };
        let mut out = BTreeSet::new();
        for r in self.neighbors(c, Direction::Outgoing, EdgeKind::MapsTo) {
            out.extend(self.requirement_of(r));
            for b in self.neighbors(r, Direction::Incoming, EdgeKind::Selects) {
                out.extend(self.requirement_of(b));
            }
        }
        out.into_iter().collect()
    }

    /// Requirements affected by a set of failing controls.
    pub fn affected_requirements<'a>(
        &self,
        failing: impl IntoIterator<Item = &'a str>,
    ) -> Vec<RequirementRef> {
        let out: BTreeSet<RequirementRef> = failing
            .into_iter()
            .flat_map(|c| self.requirements_for_control(c))
            .collect();
        out.into_iter().collect()
    }

    /// Controls of a layer, sorted.
    pub fn controls_in_layer(&self, layer: &str) -> Vec<String> {
        let Some(l) = self.index.get(&format!("layer:{layer}")).copied() else {
            return Vec::new();
        };
        let out: BTreeSet<String> = self
            .neighbors(l, Direction::Incoming, EdgeKind::InLayer)
            .filter_map(|c| self.id_of(c).map(str::to_owned))
            .collect();
        out.into_iter().collect()
    }

    /// Controls evidencing a practice, sorted.
    pub fn controls_for_practice(&self, practice: &str) -> Vec<String> {
        let Some(p) = self.index.get(&format!("practice:{practice}")).copied() else {
            return Vec::new();
        };
        let out: BTreeSet<String> = self
            .neighbors(p, Direction::Incoming, EdgeKind::Evidences)
            .filter_map(|c| self.id_of(c).map(str::to_owned))
            .collect();
        out.into_iter().collect()
    }

    /// Per-framework coverage: how many requirements at least one control evidences.
    pub fn coverage(&self, catalog: &Catalog) -> Vec<Coverage> {
        catalog
            .frameworks
            .iter()
            .map(|fw| {
                let covered = fw
                    .requirements
                    .iter()
                    .filter(|r| !self.controls_for_requirement(&fw.id, &r.id).is_empty())
                    .count();
                let total = fw.requirements.len();
                Coverage {
                    framework_id: fw.id.clone(),
                    requirements: total,
                    covered,
                    ratio: if total == 0 {
                        0.0
                    } else {
                        covered as f64 / total as f64
                    },
                }
            })
            .collect()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }
}
