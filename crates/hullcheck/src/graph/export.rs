//! Exports of the catalog graph: JSON (nodes and edges) and Graphviz DOT.

use std::fmt::Write as _;

use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::{CatalogGraph, EdgeKind, GraphNode};

/// One exported edge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphEdge {
    /// Key of the source node.
    pub from: String,
    /// Key of the target node.
    pub to: String,
    /// Edge kind.
    pub kind: EdgeKind,
}

/// The whole graph as plain data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GraphExport {
    /// Nodes, sorted by key.
    pub nodes: Vec<GraphNode>,
    /// Edges, sorted.
    pub edges: Vec<GraphEdge>,
}

impl CatalogGraph {
    /// The graph as sorted nodes and edges.
    pub fn export(&self) -> GraphExport {
        let mut nodes: Vec<GraphNode> = self.graph.node_weights().cloned().collect();
        nodes.sort_by(|a, b| a.key.cmp(&b.key));
        let mut edges: Vec<GraphEdge> = self
            .graph
            .edge_references()
            .filter_map(|e| {
                Some(GraphEdge {
                    from: self.graph.node_weight(e.source())?.key.clone(),
                    to: self.graph.node_weight(e.target())?.key.clone(),
                    kind: *e.weight(),
                })
            })
            .collect();
        edges.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
        edges.dedup();
        GraphExport { nodes, edges }
    }

    /// The graph in Graphviz DOT syntax.
    pub fn to_dot(&self) -> String {
        let export = self.export();
        let mut out = String::from("digraph hullcheck {\n  rankdir=LR;\n");
        for n in &export.nodes {
            let _ = writeln!(
                out,
                "  {} [label={}, shape={}];",
                quote(&n.key),
                quote(&n.label),
                match n.kind {
                    super::NodeKind::Control => "box",
                    super::NodeKind::Requirement => "note",
                    super::NodeKind::Layer | super::NodeKind::Framework => "doubleoctagon",
                    _ => "ellipse",
                }
            );
        }
        for e in &export.edges {
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} -> {} [label={}];",
                quote(&e.from),
                quote(&e.to),
                quote(&kind)
            );
        }
        out.push_str("}\n");
        out
    }
}

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
