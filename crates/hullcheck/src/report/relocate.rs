//! Places findings read from a rendered stream (`helm template`, `kubectl kustomize`) at their
//! sources: the template or resource file, its document index there, and the line inside the
//! rendered document, keeping the stream position in `location.rendered`.

use std::collections::HashMap;
use std::sync::Arc;

use super::model::{Finding, RenderedAt};
use crate::evidence::provenance::Remap;

/// The remaps of every stream, by stream name and document.
#[derive(Debug, Default)]
pub struct Remaps {
    by_stream: HashMap<Arc<str>, Vec<Remap>>,
}

impl Remaps {
    /// Adds a file's remaps (each file's come in document order).
    pub fn extend(&mut self, remaps: Vec<Remap>) {
        for r in remaps {
            self.by_stream.entry(r.stream.clone()).or_default().push(r);
        }
    }

    /// Rewrites the locations of the findings that came from a remapped document.
    pub fn apply(&mut self, findings: &mut [Finding]) {
        if self.by_stream.is_empty() {
            return;
        }
        for list in self.by_stream.values_mut() {
            list.sort_by_key(|r| r.document);
        }
        for f in findings.iter_mut() {
            let Some(list) = self.by_stream.get(&*f.location.file) else {
                continue;
            };
            let Ok(i) = list.binary_search_by_key(&f.location.document, |r| r.document) else {
                continue;
            };
            let Some(r) = list.get(i) else { continue };
            let loc = &mut f.location;
            loc.rendered = Some(Box::new(RenderedAt {
                file: loc.file.clone(),
                document: loc.document,
                line: loc.line,
            }));
            loc.line = r.line(loc.line);
            loc.file = r.file.clone();
            loc.document = r.source_document;
        }
    }
}
