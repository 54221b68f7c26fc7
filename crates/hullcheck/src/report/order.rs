//! The report order of findings, and sorting a run's findings into it.
//!
//! The order is location (file, document, line, pointer), control, subject, status, message.
//! Sorting 1 M findings of 136 bytes is a large share of a big evaluation, so the findings are
//! not sorted directly: an index is sorted (the adaptive stable sort merges the runs each
//! control produces in file order, and its buffer holds indexes), then each finding moves once.
//! A packed integer key of file rank, document and line, with only equal keys compared in full,
//! was tried and was no faster: most findings share their line with others (every control's
//! pass sits on the pod spec), so the full comparison still does the work.

use std::cmp::Ordering;
use std::sync::Arc;

use rayon::prelude::*;

use super::model::Finding;

/// Compares shared strings, skipping the comparison when both are the same allocation (findings
/// of one file, control or object share theirs).
fn shared_cmp(a: &Arc<str>, b: &Arc<str>) -> Ordering {
    if Arc::ptr_eq(a, b) {
        Ordering::Equal
    } else {
        a.cmp(b)
    }
}

/// The report order of findings: location, control, subject, status, message.
pub fn finding_order(a: &Finding, b: &Finding) -> Ordering {
    let (la, lb) = (&a.location, &b.location);
    shared_cmp(&la.file, &lb.file)
        .then(la.document.cmp(&lb.document))
        .then(la.line.cmp(&lb.line))
        .then_with(|| shared_cmp(&la.path, &lb.path))
        .then_with(|| shared_cmp(&a.control_id, &b.control_id))
        .then_with(|| {
            if Arc::ptr_eq(&a.subject, &b.subject) {
                Ordering::Equal
            } else {
                a.subject.cmp(&b.subject)
            }
        })
        .then(a.status.cmp(&b.status))
        .then_with(|| a.message.cmp(&b.message))
}

/// Sorts findings into report order (stable: equal findings keep their order).
pub fn sort_findings(findings: &mut [Finding]) {
    let Ok(n) = u32::try_from(findings.len()) else {
        findings.par_sort_by(finding_order);
        return;
    };
    let mut order: Vec<u32> = (0..n).collect();
    order.par_sort_by(|a, b| compare_at(findings, *a, *b));
    permute(findings, order);
}

fn compare_at(findings: &[Finding], a: u32, b: u32) -> Ordering {
    match (findings.get(a as usize), findings.get(b as usize)) {
        (Some(x), Some(y)) => finding_order(x, y),
        _ => Ordering::Equal,
    }
}

/// Moves the findings into `order` (position `i` takes the finding at `order[i]`), cycle by
/// cycle, with no second vector: a gather into a new vector was faster in a warm process but
/// cost 140 MB more at 100k objects, and the page faults of that memory made the whole run no
/// faster.
fn permute(findings: &mut [Finding], mut order: Vec<u32>) {
    for start in 0..order.len() {
        let mut cur = start;
        while let Some(next) = order.get(cur).map(|n| *n as usize) {
            if let Some(slot) = order.get_mut(cur) {
                *slot = cur as u32;
            }
            if next == start || next == cur {
                break;
            }
            findings.swap(cur, next);
            cur = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Location, Status, Subject};
    use proptest::prelude::*;

    /// Every string is its own allocation, so the comparisons by content are exercised too.
    fn finding(file: u8, document: u8, line: u8, path: u8, control: u8, message: u8) -> Finding {
        Finding {
            control_id: format!("C-{control}").into(),
            status: if message % 2 == 0 {
                Status::Pass
            } else {
                Status::Fail
            },
            severity: "low".into(),
            layer: "runtime".into(),
            message: format!("m{message}").into(),
            subject: Arc::new(Subject::default()),
            location: Location {
                file: format!("f{file}").into(),
                document: usize::from(document),
                line: u32::from(line),
                path: format!("/p{path}").into(),
                rendered: None,
            },
        }
    }

    proptest! {
        #[test]
        fn index_sort_equals_direct_sort(
            keys in proptest::collection::vec((0u8..4, 0u8..3, 0u8..6, 0u8..3, 0u8..3, 0u8..4), 0..300)
        ) {
            let mut a: Vec<Finding> = keys
                .iter()
                .map(|(f, d, l, p, c, m)| finding(*f, *d, *l, *p, *c, *m))
                .collect();
            let mut b = a.clone();
            sort_findings(&mut a);
            b.sort_by(finding_order);
            prop_assert_eq!(a, b);
        }
    }
}
