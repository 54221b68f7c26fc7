//! A Dockerfile parser: parser directives, line continuations, heredocs, multi-stage builds,
//! `ARG`/`ENV` substitution, with the line of every instruction.

use std::collections::BTreeMap;

use super::read::{At, Loc};

/// One instruction.
#[derive(Debug, Clone, PartialEq)]
pub struct Instruction {
    /// Upper-case keyword (`RUN`, `COPY`, …).
    pub keyword: String,
    /// Arguments after variable substitution (heredoc bodies appended).
    pub args: String,
    /// Arguments as written.
    pub raw: String,
    /// 1-based line where the instruction starts.
    pub line: u32,
}

/// One build stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// The base image after `ARG` substitution.
    pub from: At<String>,
    /// `AS name`, lower-cased.
    pub alias: Option<String>,
    /// Index of an earlier stage used as the base, when `from` names one.
    pub base_stage: Option<usize>,
    /// The stage's instructions after `FROM`.
    pub instructions: Vec<Instruction>,
}

impl Stage {
    /// The last instruction with this keyword.
    pub fn last(&self, keyword: &str) -> Option<&Instruction> {
        self.instructions
            .iter()
            .rev()
            .find(|i| i.keyword == keyword)
    }
}

/// A parsed Dockerfile.
#[derive(Debug, Clone, PartialEq)]
pub struct DockerfileFacts {
    /// Build stages in order.
    pub stages: Vec<Stage>,
    /// Global `ARG`s declared before the first `FROM`.
    pub global_args: Vec<Instruction>,
}

impl DockerfileFacts {
    /// The stage that produces the image (the last one).
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// The effective `USER` of a stage, following `FROM <earlier stage>`.
    pub fn effective_user(&self, index: usize) -> Option<(&Instruction, usize)> {
        let mut i = index;
        for _ in 0..=self.stages.len() {
            let stage = self.stages.get(i)?;
            if let Some(u) = stage.last("USER") {
                return Some((u, i));
            }
            i = stage.base_stage?;
        }
        None
    }

    /// The location of an instruction.
    pub fn loc(stage: usize, index: usize, line: u32) -> Loc {
        Loc {
            line,
            path: format!("/stages/{stage}/instructions/{index}").into(),
        }
    }
}

/// True for file names read as Dockerfiles.
pub fn is_dockerfile_name(name: &str) -> bool {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    base == "dockerfile"
        || base == "containerfile"
        || base.starts_with("dockerfile.")
        || base.ends_with(".dockerfile")
        || base.starts_with("containerfile.")
}

struct Logical {
    text: String,
    line: u32,
}

fn logical_lines(text: &str) -> Vec<Logical> {
    let lines: Vec<&str> = text.lines().collect();
    let mut escape = '\\';
    let mut i = 0;
    // Parser directives: leading `# key=value` comments.
    while let Some(l) = lines.get(i) {
        let t = l.trim();
        let Some(d) = t.strip_prefix('#') else { break };
        match d.trim().split_once('=') {
            Some((k, v)) if !k.trim().contains(' ') => {
                if k.trim().eq_ignore_ascii_case("escape") {
                    escape = v.trim().chars().next().unwrap_or('\\');
                }
                i += 1;
            }
            _ => break,
        }
    }
    let mut out = Vec::new();
    while i < lines.len() {
        let start = i;
        let mut buf = String::new();
        let mut first = true;
        while let Some(raw) = lines.get(i) {
            i += 1;
            let t = raw.trim_end();
            let trimmed = t.trim_start();
            if !first && (trimmed.starts_with('#') || trimmed.is_empty()) {
                continue;
            }
            if first && (trimmed.is_empty() || trimmed.starts_with('#')) {
                break;
            }
            first = false;
            match t.strip_suffix(escape) {
                Some(body) => {
                    buf.push_str(body);
                    buf.push(' ');
                }
                None => {
                    buf.push_str(t);
                    break;
                }
            }
        }
        let body = buf.trim().to_owned();
        if body.is_empty() {
            continue;
        }
        // Heredocs: `<<EOF`, `<<-EOF`, `<<"EOF"` — the body follows until the delimiter.
        let mut text = body.clone();
        for delim in heredoc_delimiters(&body) {
            while let Some(raw) = lines.get(i) {
                i += 1;
                if raw.trim() == delim {
                    break;
                }
                text.push('\n');
                text.push_str(raw);
            }
        }
        out.push(Logical {
            text,
            line: u32::try_from(start + 1).unwrap_or(u32::MAX),
        });
    }
    out
}

fn heredoc_delimiters(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(pos) = rest.find("<<") {
        let after = rest.get(pos + 2..).unwrap_or("");
        let after = after.strip_prefix('-').unwrap_or(after);
        let word: String = after
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !word.is_empty() && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
            out.push(word);
        }
        rest = after;
    }
    out
}

/// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}`; unknown variables read empty.
pub fn expand(text: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\\' && chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            let Some(end) = chars.iter().skip(i + 2).position(|c| *c == '}') else {
                out.push(c);
                i += 1;
                continue;
            };
            let inner: String = chars.iter().skip(i + 2).take(end).collect();
            i += end + 3;
            let (name, op) = match inner.find(":-").or_else(|| inner.find(":+")) {
                Some(p) => (
                    inner.get(..p).unwrap_or(""),
                    Some((
                        inner.get(p..p + 2).unwrap_or(""),
                        inner.get(p + 2..).unwrap_or(""),
                    )),
                ),
                None => (inner.as_str(), None),
            };
            let value = vars.get(name).filter(|v| !v.is_empty());
            match (op, value) {
                (Some((":-", default)), None) => out.push_str(default),
                (Some((":+", alt)), Some(_)) => out.push_str(alt),
                (Some((":+", _)), None) => {}
                (_, Some(v)) => out.push_str(v),
                (_, None) => {}
            }
        } else {
            let name: String = chars
                .iter()
                .skip(i + 1)
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                .collect();
            if name.is_empty() {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1 + name.chars().count();
            if let Some(v) = vars.get(&name) {
                out.push_str(v);
            }
        }
    }
    out
}

/// Splits `key=value key2="v 2"` pairs (quotes removed).
pub fn key_values(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        if escaped {
            cur.push(c);
            escaped = false;
        } else if c == '\\' && quote != Some('\'') {
            escaped = true;
        } else if let Some(q) = quote {
            if c == q {
                quote = None
            } else {
                cur.push(c)
            }
        } else if c == '"' || c == '\'' {
            quote = Some(c);
        } else if c.is_whitespace() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    if words.first().is_some_and(|w| !w.contains('=')) {
        // Legacy form: `ENV key value with spaces`.
        let mut it = words.into_iter();
        if let Some(k) = it.next() {
            out.push((k, it.collect::<Vec<_>>().join(" ")));
        }
        return out;
    }
    for w in words {
        match w.split_once('=') {
            Some((k, v)) => out.push((k.to_owned(), v.to_owned())),
            None => out.push((w, String::new())),
        }
    }
    out
}

/// Parses a Dockerfile. Never fails: unknown text becomes instructions with odd keywords.
pub fn parse(text: &str) -> DockerfileFacts {
    let mut facts = DockerfileFacts {
        stages: Vec::new(),
        global_args: Vec::new(),
    };
    let mut global: BTreeMap<String, String> = BTreeMap::new();
    let mut vars: BTreeMap<String, String> = BTreeMap::new();
    for l in logical_lines(text) {
        let (kw, raw) = match l.text.split_once(char::is_whitespace) {
            Some((k, r)) => (k.to_ascii_uppercase(), r.trim().to_owned()),
            None => (l.text.to_ascii_uppercase(), String::new()),
        };
        if kw == "FROM" {
            let words: Vec<&str> = raw
                .split_whitespace()
                .filter(|w| !w.starts_with("--"))
                .collect();
            let image = expand(words.first().copied().unwrap_or(""), &global);
            let alias = match (words.get(1), words.get(2)) {
                (Some(a), Some(name)) if a.eq_ignore_ascii_case("as") => {
                    Some(name.to_ascii_lowercase())
                }
                _ => None,
            };
            let lower = image.to_ascii_lowercase();
            let base_stage = facts
                .stages
                .iter()
                .position(|s| s.alias.as_deref() == Some(lower.as_str()));
            facts.stages.push(Stage {
                from: At {
                    value: image,
                    loc: Loc {
                        line: l.line,
                        path: format!("/stages/{}/from", facts.stages.len()).into(),
                    },
                },
                alias,
                base_stage,
                instructions: Vec::new(),
            });
            // Each stage sees the global ARG defaults only when it re-declares them.
            vars = BTreeMap::new();
            continue;
        }
        let args = expand(
            &raw,
            if facts.stages.is_empty() {
                &global
            } else {
                &vars
            },
        );
        let inst = Instruction {
            keyword: kw.clone(),
            args: args.clone(),
            raw: raw.clone(),
            line: l.line,
        };
        match (kw.as_str(), facts.stages.last_mut()) {
            ("ARG", None) => {
                for (k, v) in key_values(&args) {
                    global.insert(k, v);
                }
                facts.global_args.push(inst);
            }
            (_, None) => facts.global_args.push(inst),
            (kw, Some(stage)) => {
                if kw == "ARG" {
                    for (k, v) in key_values(&args) {
                        let value = if v.is_empty() {
                            global.get(&k).cloned().unwrap_or_default()
                        } else {
                            v
                        };
                        vars.insert(k, value);
                    }
                } else if kw == "ENV" {
                    for (k, v) in key_values(&args) {
                        vars.insert(k, v);
                    }
                }
                stage.instructions.push(inst);
            }
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_args_continuations_and_lines() {
        let text = "# syntax=docker/dockerfile:1\nARG BASE=golang:1.22\nFROM ${BASE} AS build\nRUN go build \\\n    -o /app \\\n    ./...\n\nFROM gcr.io/distroless/static@sha256:abc\nCOPY --from=build /app /app\nUSER 65532:65532\nENV A=1 B=\"two words\"\nENTRYPOINT [\"/app\"]\n";
        let f = parse(text);
        assert_eq!(f.stages.len(), 2);
        assert_eq!(f.stages[0].from.value, "golang:1.22");
        assert_eq!(f.stages[0].from.loc.line, 3);
        assert_eq!(f.stages[0].alias.as_deref(), Some("build"));
        let run = &f.stages[0].instructions[0];
        assert_eq!((run.keyword.as_str(), run.line), ("RUN", 4));
        assert!(run.args.contains("-o /app") && run.args.contains("./..."));
        let (user, _) = f.effective_user(1).unwrap();
        assert_eq!((user.args.as_str(), user.line), ("65532:65532", 10));
        assert_eq!(
            key_values("A=1 B=\"two words\""),
            [("A".into(), "1".into()), ("B".into(), "two words".into())]
        );
    }

    #[test]
    fn heredocs_and_escape_directive() {
        let f = parse(
            "# escape=`\nFROM alpine\nRUN <<EOF\napk add curl\nEOF\nRUN echo a `\n  b\nUSER app\n",
        );
        let s = &f.stages[0];
        assert!(s.instructions[0].args.contains("apk add curl"));
        assert_eq!(s.instructions[1].args, "echo a    b");
        assert_eq!(s.last("USER").unwrap().line, 8);
    }

    #[test]
    fn expansion_forms() {
        let vars: BTreeMap<String, String> = [("V".to_owned(), "1.2".to_owned())].into();
        assert_eq!(
            expand("a:$V b:${V} c:${X:-d} e:${V:+f} g:${X:+h}", &vars),
            "a:1.2 b:1.2 c:d e:f g:"
        );
    }
}
