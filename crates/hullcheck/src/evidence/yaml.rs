//! YAML and JSON text → one located [`Node`] tree per document, within [`Limits`].
//!
//! The event parser (`saphyr-parser`) gives positions; this module builds the tree itself so it
//! can resolve scalars as Kubernetes does, reject duplicate keys, apply merge keys, and bound
//! depth and alias expansion per document. A broken document ends only its own tree: later
//! documents of the same stream are still produced unless the syntax itself is lost.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, StrInput, Tag};

use super::error::EvidenceError;
use super::limits::Limits;
use super::node::{Node, Value};
use super::scalar::resolve_plain;

/// One document of a YAML stream: its 0-based index, first line, and tree or error.
#[derive(Debug)]
pub struct ParsedDocument {
    /// 0-based index of the document in its file.
    pub index: usize,
    /// 1-based line where the document starts.
    pub line: u32,
    /// The tree, or the located error that stopped it.
    pub result: Result<Node, EvidenceError>,
}

enum Frame {
    Seq {
        line: u32,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        line: u32,
        anchor: usize,
        entries: Vec<(String, Node)>,
        key: Option<(String, bool)>,
        merges: Vec<Node>,
        /// Keys seen, once the mapping is large enough that a linear scan would cost.
        seen: Option<std::collections::HashSet<String>>,
    },
}

/// Iterates over the documents of a YAML (or JSON) text.
pub struct Documents<'a> {
    parser: Parser<'a, StrInput<'a>>,
    limits: &'a Limits,
    index: usize,
    done: bool,
}

/// Parses `text` into documents, lazily.
pub fn documents<'a>(text: &'a str, limits: &'a Limits) -> Documents<'a> {
    Documents {
        parser: Parser::new_from_str(text),
        limits,
        index: 0,
        done: false,
    }
}

/// Reads the first document of a configuration text (a policy, waivers or catalog file) as JSON.
pub fn first_document_json(text: &str) -> Result<serde_json::Value, String> {
    let limits = Limits::default();
    let doc = documents(text, &limits)
        .next()
        .ok_or_else(|| "the file is empty".to_owned())?;
    doc.result
        .map(|node| node.to_json())
        .map_err(|e| e.to_string())
}

fn line_of(span: &Span) -> u32 {
    u32::try_from(span.start.line()).unwrap_or(u32::MAX)
}

impl Iterator for Documents<'_> {
    type Item = ParsedDocument;

    fn next(&mut self) -> Option<ParsedDocument> {
        if self.done {
            return None;
        }
        // Find the next document start.
        let start_line = loop {
            match self.parser.next_event() {
                None | Some(Ok((Event::StreamEnd, _))) => {
                    self.done = true;
                    return None;
                }
                Some(Ok((Event::DocumentStart(_), span))) => break line_of(&span),
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    self.done = true;
                    return Some(self.syntax_error(&e, 0));
                }
            }
        };
        let index = self.index;
        self.index += 1;
        if index >= self.limits.max_documents_per_file {
            self.done = true;
            return Some(ParsedDocument {
                index,
                line: start_line,
                result: Err(EvidenceError::TooManyDocuments {
                    line: start_line,
                    limit: self.limits.max_documents_per_file,
                }),
            });
        }
        let result = self.build_document();
        let result = match result {
            Ok(node) => Ok(node),
            Err(Fatal::Syntax(err)) => {
                self.done = true;
                Err(err)
            }
            Err(Fatal::Document(err)) => {
                if !self.skip_to_document_end() {
                    self.done = true;
                }
                Err(err)
            }
        };
        Some(ParsedDocument {
            index,
            line: start_line,
            result,
        })
    }
}

enum Fatal {
    /// The stream cannot continue.
    Syntax(EvidenceError),
    /// This document is abandoned, the stream can go on.
    Document(EvidenceError),
}

impl Documents<'_> {
    fn syntax_error(&self, e: &saphyr_parser::ScanError, index: usize) -> ParsedDocument {
        let err = self.scan_error(e);
        ParsedDocument {
            index,
            line: err.line().unwrap_or(0),
            result: Err(err),
        }
    }

    /// The parser's own nesting guard is reported as the depth limit it is.
    fn scan_error(&self, e: &saphyr_parser::ScanError) -> EvidenceError {
        let line = u32::try_from(e.marker().line()).unwrap_or(u32::MAX);
        if e.info().contains("recursion limit") {
            EvidenceError::TooDeep {
                line,
                limit: self.limits.max_depth,
            }
        } else {
            EvidenceError::Syntax {
                line,
                message: e.info().to_owned(),
            }
        }
    }

    /// Consumes events up to the end of the current document; false when the stream ended.
    fn skip_to_document_end(&mut self) -> bool {
        loop {
            match self.parser.next_event() {
                Some(Ok((Event::DocumentEnd, _))) => return true,
                Some(Ok((Event::StreamEnd, _))) | None | Some(Err(_)) => return false,
                Some(Ok(_)) => {}
            }
        }
    }

    fn build_document(&mut self) -> Result<Node, Fatal> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut anchors: HashMap<usize, Node> = HashMap::new();
        let mut alias_budget = self.limits.max_alias_nodes;
        let mut root: Option<Node> = None;
        loop {
            let (event, span) = match self.parser.next_event() {
                Some(Ok(ev)) => ev,
                Some(Err(e)) => return Err(Fatal::Syntax(self.scan_error(&e))),
                None => {
                    return Err(Fatal::Syntax(EvidenceError::Syntax {
                        line: 0,
                        message: "unexpected end of input".to_owned(),
                    }))
                }
            };
            let line = line_of(&span);
            let completed = match event {
                Event::DocumentEnd => {
                    return Ok(root.unwrap_or(Node {
                        line,
                        value: Value::Null,
                    }))
                }
                Event::StreamEnd | Event::StreamStart | Event::DocumentStart(_) => {
                    return Err(Fatal::Syntax(EvidenceError::Syntax {
                        line,
                        message: "unexpected document boundary".to_owned(),
                    }))
                }
                Event::Nothing => continue,
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if stack.len() >= self.limits.max_depth {
                        return Err(Fatal::Document(EvidenceError::TooDeep {
                            line,
                            limit: self.limits.max_depth,
                        }));
                    }
                    if matches!(event, Event::SequenceStart(..)) {
                        stack.push(Frame::Seq {
                            line,
                            anchor,
                            items: Vec::new(),
                        });
                    } else {
                        stack.push(Frame::Map {
                            line,
                            anchor,
                            entries: Vec::new(),
                            key: None,
                            merges: Vec::new(),
                            seen: None,
                        });
                    }
                    continue;
                }
                Event::SequenceEnd => match stack.pop() {
                    Some(Frame::Seq {
                        line,
                        anchor,
                        items,
                    }) => (
                        Node {
                            line,
                            value: Value::Seq(items),
                        },
                        anchor,
                        false,
                    ),
                    _ => return Err(Fatal::Syntax(unbalanced(line))),
                },
                Event::MappingEnd => match stack.pop() {
                    Some(Frame::Map {
                        line,
                        anchor,
                        mut entries,
                        merges,
                        ..
                    }) => {
                        apply_merges(&mut entries, merges);
                        (
                            Node {
                                line,
                                value: Value::Map(entries),
                            },
                            anchor,
                            false,
                        )
                    }
                    _ => return Err(Fatal::Syntax(unbalanced(line))),
                },
                Event::Scalar(text, style, anchor, tag) => {
                    let is_merge_key = style == ScalarStyle::Plain && text == "<<";
                    (
                        Node {
                            line,
                            value: resolve_scalar(&text, style, tag.as_ref()),
                        },
                        anchor,
                        is_merge_key,
                    )
                }
                Event::Alias(id) => {
                    let Some(target) = anchors.get(&id) else {
                        return Err(Fatal::Document(EvidenceError::UnknownAlias { line }));
                    };
                    let size = target.size();
                    if size > alias_budget {
                        return Err(Fatal::Document(EvidenceError::AliasBudget {
                            line,
                            limit: self.limits.max_alias_nodes,
                        }));
                    }
                    alias_budget -= size;
                    (target.clone(), 0, false)
                }
            };
            let (node, anchor, is_merge_key) = completed;
            if anchor != 0 {
                anchors.insert(anchor, node.clone());
            }
            match stack.last_mut() {
                None => root = Some(node),
                Some(Frame::Seq { items, .. }) => items.push(node),
                Some(Frame::Map {
                    entries,
                    key,
                    merges,
                    seen,
                    ..
                }) => match key.take() {
                    None => *key = Some((key_text(&node, line)?, is_merge_key)),
                    Some((_, true)) => merges.push(node),
                    Some((k, false)) => {
                        let duplicate = match seen {
                            Some(set) => !set.insert(k.clone()),
                            None => entries.iter().any(|(existing, _)| *existing == k),
                        };
                        if duplicate {
                            return Err(Fatal::Document(EvidenceError::DuplicateKey {
                                line: node.line,
                                key: k,
                            }));
                        }
                        if seen.is_none() && entries.len() >= 16 {
                            let mut set: std::collections::HashSet<String> =
                                entries.iter().map(|(k, _)| k.clone()).collect();
                            set.insert(k.clone());
                            *seen = Some(set);
                        }
                        entries.push((k, node));
                    }
                },
            }
        }
    }
}

fn unbalanced(line: u32) -> EvidenceError {
    EvidenceError::Syntax {
        line,
        message: "unbalanced collection end".to_owned(),
    }
}

fn key_text(node: &Node, line: u32) -> Result<String, Fatal> {
    Ok(match &node.value {
        Value::Str(s) => s.clone(),
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) | Value::Map(_) => {
            return Err(Fatal::Document(EvidenceError::ComplexKey { line }))
        }
    })
}

/// YAML merge keys: entries of merged mappings fill in keys the mapping does not set itself.
fn apply_merges(entries: &mut Vec<(String, Node)>, merges: Vec<Node>) {
    for merge in merges {
        let sources = match merge.value {
            Value::Map(m) => vec![m],
            Value::Seq(items) => items
                .into_iter()
                .filter_map(|n| match n.value {
                    Value::Map(m) => Some(m),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for source in sources {
            for (k, v) in source {
                if !entries.iter().any(|(existing, _)| *existing == k) {
                    entries.push((k, v));
                }
            }
        }
    }
}

fn resolve_scalar(text: &str, style: ScalarStyle, tag: Option<&Cow<'_, Tag>>) -> Value {
    if let Some(tag) = tag {
        if tag.handle == "tag:yaml.org,2002:" || tag.handle == "!!" {
            return match tag.suffix.as_str() {
                "str" => Value::Str(text.to_owned()),
                "null" => Value::Null,
                "bool" | "int" | "float" => match resolve_plain(text) {
                    Value::Str(_) => Value::Str(text.to_owned()),
                    other => other,
                },
                _ => resolve_plain(text),
            };
        }
    }
    if style == ScalarStyle::Plain {
        resolve_plain(text)
    } else {
        Value::Str(text.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Result<Node, EvidenceError>> {
        documents(text, &Limits::default())
            .map(|d| d.result)
            .collect()
    }

    #[test]
    fn multi_document_with_lines() {
        let docs = parse("a: 1\n---\nb:\n  c: yes\n");
        assert_eq!(docs.len(), 2);
        let b = docs[1].as_ref().unwrap().get("b").unwrap();
        assert_eq!(b.get("c").unwrap().value, Value::Bool(true));
        assert_eq!(b.get("c").unwrap().line, 4);
    }

    #[test]
    fn duplicate_key_is_document_error_and_stream_continues() {
        let docs = parse("a: 1\na: 2\n---\nb: 1\n");
        assert!(matches!(
            docs[0],
            Err(EvidenceError::DuplicateKey { line: 2, .. })
        ));
        assert!(docs[1].is_ok());
    }

    #[test]
    fn alias_bomb_is_bounded() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let docs = parse(&text);
        assert!(matches!(docs[0], Err(EvidenceError::AliasBudget { .. })));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let flow = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
        let docs = parse(&flow);
        assert!(
            matches!(docs[0], Err(EvidenceError::TooDeep { .. })),
            "{docs:?}"
        );
        let block: String = (0..5_000)
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect();
        let docs = parse(&block);
        assert!(
            matches!(docs[0], Err(EvidenceError::TooDeep { .. })),
            "{:?}",
            docs[0]
        );
    }

    #[test]
    fn merge_keys_fill_missing_entries() {
        let docs = parse("base: &b {a: 1, b: 2}\nm:\n  <<: *b\n  b: 3\n");
        let m = docs[0].as_ref().unwrap().get("m").unwrap();
        assert_eq!(m.get("a").unwrap().value, Value::Int(1));
        assert_eq!(m.get("b").unwrap().value, Value::Int(3));
    }

    #[test]
    fn plain_boolean_keys_become_kubectl_strings() {
        let docs = parse("y: 1\n'n': 2\n");
        let d = docs[0].as_ref().unwrap();
        assert!(d.get("true").is_some());
        assert!(d.get("n").is_some());
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let docs = parse("a: \"true\"\nb: '0755'\nc: !!str 12\n");
        let d = docs[0].as_ref().unwrap();
        assert_eq!(d.get("a").unwrap().value, Value::Str("true".into()));
        assert_eq!(d.get("b").unwrap().value, Value::Str("0755".into()));
        assert_eq!(d.get("c").unwrap().value, Value::Str("12".into()));
    }

    #[test]
    fn syntax_error_is_located() {
        let docs = parse("a: 1\n---\nb: [1, 2\nc: 3\n");
        assert!(docs[0].is_ok());
        assert!(matches!(docs[1], Err(EvidenceError::Syntax { .. })));
    }
}
