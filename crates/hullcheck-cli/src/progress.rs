//! A progress bar on stderr for long evaluations: files, documents and elapsed time. Drawn only
//! when stderr is a terminal and `--quiet` is not given; it never writes to stdout.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// The bar, or nothing.
pub struct Bar {
    bar: Option<ProgressBar>,
    documents: AtomicUsize,
}

impl Bar {
    /// A bar when stderr is a terminal and output is not quiet.
    pub fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let b = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} files, {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            b.set_style(style);
            b
        });
        Self {
            bar,
            documents: AtomicUsize::new(0),
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl hullcheck::Progress for Bar {
    fn start(&self, files: usize) {
        if let Some(b) = &self.bar {
            b.set_length(files as u64);
        }
    }

    fn file_done(&self, documents: usize) {
        let total = self.documents.fetch_add(documents, Ordering::Relaxed) + documents;
        if let Some(b) = &self.bar {
            b.inc(1);
            b.set_message(format!("{total} documents"));
        }
    }
}
