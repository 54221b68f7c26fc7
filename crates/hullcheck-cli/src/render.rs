//! `--render`: Helm chart directories through `helm template`, Kustomize directories through
//! `kubectl kustomize` (or `kustomize build`), each found on `PATH`, with a timeout and with
//! plugins, exec functions and cluster access off. Only the CLI runs renderers; the library
//! never starts a process.
//!
//! The rendered stream is read as if piped: `# Source:` comments and Kustomize's origin
//! annotations place each document at its source.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hullcheck::evidence::{EvidenceError, Target};

/// What a directory needs to become evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    /// A Helm chart (it holds `Chart.yaml`).
    Helm,
    /// A Kustomize directory (it holds a kustomization file).
    Kustomize,
}

/// The renderer a directory needs, if it needs one.
pub fn renderer_for(dir: &Path) -> Option<Renderer> {
    if !dir.is_dir() {
        return None;
    }
    if dir.join("Chart.yaml").is_file() {
        return Some(Renderer::Helm);
    }
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .any(|k| dir.join(k).is_file())
        .then_some(Renderer::Kustomize)
}

/// Finds a program on `PATH`.
fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

/// The command that renders `dir`, or an error naming the missing renderer.
fn command(renderer: Renderer, dir: &Path) -> Result<(String, Command), EvidenceError> {
    let missing = |what: &str| EvidenceError::RendererMissing {
        tool: what.to_owned(),
    };
    match renderer {
        Renderer::Helm => {
            let helm = on_path("helm").ok_or_else(|| missing("helm"))?;
            let mut c = Command::new(helm);
            c.arg("template").arg(dir);
            // No plugins (post-renderers, downloaders), no kubeconfig, no repository caches
            // outside a throwaway directory: rendering stays offline and runs nothing else.
            let scratch =
                std::env::temp_dir().join(format!("hullcheck-helm-{}", std::process::id()));
            c.env("HELM_PLUGINS", scratch.join("plugins"))
                .env("HELM_CACHE_HOME", scratch.join("cache"))
                .env("HELM_CONFIG_HOME", scratch.join("config"))
                .env("HELM_DATA_HOME", scratch.join("data"))
                .env("KUBECONFIG", scratch.join("no-kubeconfig"));
            Ok(("helm template".to_owned(), c))
        }
        Renderer::Kustomize => {
            let (tool, mut c) = match on_path("kubectl") {
                Some(k) => {
                    let mut c = Command::new(k);
                    c.arg("kustomize");
                    ("kubectl kustomize", c)
                }
                None => {
                    let k =
                        on_path("kustomize").ok_or_else(|| missing("kubectl` (or `kustomize"))?;
                    let mut c = Command::new(k);
                    c.arg("build");
                    (("kustomize build"), c)
                }
            };
            // Plugins, exec functions and Helm inflation stay off (their defaults), and files
            // are loaded from inside the kustomization only.
            c.arg("--load-restrictor=LoadRestrictionsRootOnly")
                .arg(dir)
                .env("KUBECONFIG", "/dev/null")
                .env("GIT_TERMINAL_PROMPT", "0");
            Ok((tool.to_owned(), c))
        }
    }
}

/// Renders a directory into a document target, or a located error target.
pub fn render(dir: &Path, renderer: Renderer, timeout: Duration, max_bytes: u64) -> Target {
    let tool = match renderer {
        Renderer::Helm => "helm template",
        Renderer::Kustomize => "kubectl kustomize",
    };
    // The stream's name; documents with a provenance marker are placed at their sources.
    let name = format!("<{tool} {}>", dir.display());
    match run(dir, renderer, timeout, max_bytes) {
        Ok(bytes) => Target::Document { name, bytes },
        Err(error) => Target::Failed { name, error },
    }
}

fn run(
    dir: &Path,
    renderer: Renderer,
    timeout: Duration,
    max_bytes: u64,
) -> Result<Vec<u8>, EvidenceError> {
    let (tool, mut cmd) = command(renderer, dir)?;
    let failed = |message: String| EvidenceError::RenderFailed {
        tool: tool.clone(),
        message,
    };
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("cannot start: {e}")))?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout {
            let _ = s.take(max_bytes.saturating_add(1)).read_to_end(&mut buf);
        }
        buf
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr {
            let _ = s.take(64 * 1024).read_to_end(&mut buf);
        }
        buf
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "did not finish within {} s (`--render-timeout`)",
                    timeout.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(failed(e.to_string())),
        }
    };
    let bytes = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let text = String::from_utf8_lossy(&stderr);
        let first: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(5)
            .collect();
        return Err(failed(format!(
            "exited with {status}: {}",
            first.join(" / ")
        )));
    }
    if bytes.len() as u64 > max_bytes {
        return Err(EvidenceError::FileTooLarge {
            size: bytes.len() as u64,
            limit: max_bytes,
        });
    }
    Ok(bytes)
}
