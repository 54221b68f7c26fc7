//! YAML and JSON text → one located [`Node`] tree per document, within [`Limits`].
//!
//! The event parser (`saphyr-parser`) gives positions; this module builds the tree itself so it
//! can resolve scalars as Kubernetes does, reject duplicate keys, apply merge keys, and bound
//! depth and alias expansion per document. A broken document ends only its own tree: reading
//! goes on at the next document marker (`---`, or the line after `...`).

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, StrInput, Tag};

use super::error::EvidenceError;
use super::limits::Limits;
use super::node::{Node, Value};
use super::scalar::resolve_plain;
use super::yaml_fast::{Bail, FastReader};

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
///
/// Documents are read by the fast reader ([`super::yaml_fast`]) while they stay within its
/// subset; from the first one that does not, the full event parser reads the rest.
pub struct Documents<'a> {
    text: &'a str,
    fast: Option<FastReader<'a>>,
    /// False for [`documents_full`]: the fast reader is never used.
    fast_enabled: bool,
    fast_documents: usize,
    parser: Option<Parser<'a, StrInput<'a>>>,
    /// Lines before the text the full parser was started on.
    line_offset: u32,
    /// The byte offset the full parser was started on.
    parser_start: usize,
    /// A line start at or before the full parser's position, with its line number: where the
    /// search for the next document marker goes on from.
    cursor: (usize, u32),
    /// The line of the last `DocumentEnd` event of the full parser.
    end_line: Option<u32>,
    limits: &'a Limits,
    index: usize,
    done: bool,
}

/// Parses `text` into documents, lazily.
pub fn documents<'a>(text: &'a str, limits: &'a Limits) -> Documents<'a> {
    Documents {
        text,
        fast: Some(FastReader::new(text, limits.max_depth)),
        fast_enabled: true,
        fast_documents: 0,
        parser: None,
        line_offset: 0,
        parser_start: 0,
        cursor: (0, 1),
        end_line: None,
        limits,
        index: 0,
        done: false,
    }
}

/// Parses `text` into documents with the full reader only, never the fast one: the reference
/// the differential tests hold [`documents`] to.
pub fn documents_full<'a>(text: &'a str, limits: &'a Limits) -> Documents<'a> {
    Documents {
        fast: None,
        fast_enabled: false,
        parser: Some(Parser::new_from_str(text)),
        ..documents(text, limits)
    }
}

/// The 1-based line of a span of the full parser, in the whole text.
fn line_at(span: &Span, line_offset: u32) -> u32 {
    u32::try_from(span.start.line())
        .unwrap_or(u32::MAX)
        .saturating_add(line_offset)
}

impl<'a> Documents<'a> {
    /// How many documents so far came from the fast reader.
    pub fn fast_documents(&self) -> usize {
        self.fast_documents
    }

    /// The next document from the fast reader; `None` once it has handed over to the full
    /// parser (or the stream ended).
    fn next_fast(&mut self) -> Option<Option<ParsedDocument>> {
        let fast = self.fast.as_mut()?;
        let (pos, line) = fast.position();
        if self.index < self.limits.max_documents_per_file {
            match fast.next_document() {
                Ok(Some((line, node))) => {
                    let index = self.index;
                    self.index += 1;
                    self.fast_documents += 1;
                    return Some(Some(ParsedDocument {
                        index,
                        line,
                        result: Ok(node),
                    }));
                }
                Ok(None) => {
                    self.done = true;
                    return Some(None);
                }
                Err(Bail) => {}
            }
        }
        self.fast = None;
        self.start_parser(pos, line);
        None
    }

    /// After the full parser finished a document at a `---` marker, hands the rest back to the
    /// fast reader.
    fn resume_fast(&mut self) {
        let Some(end) = self.end_line.take() else {
            return;
        };
        if !self.fast_enabled {
            return;
        }
        let bytes = self.text.as_bytes();
        let (mut pos, mut line) = self.cursor;
        while line < end {
            let Some(next) = next_line_start(bytes, pos) else {
                break;
            };
            pos = next;
            line += 1;
        }
        self.cursor = (pos, line);
        if line == end && starts_marker(bytes.get(pos..).unwrap_or_default(), b"---") {
            self.restart(pos, line);
        }
    }

    fn line_of(&self, span: &Span) -> u32 {
        line_at(span, self.line_offset)
    }

    fn next_event(&mut self) -> Option<Result<(Event<'a>, Span), saphyr_parser::ScanError>> {
        self.parser.as_mut()?.next_event()
    }
}

/// The start of the line after the one at `pos`, counting line breaks as the full parser does:
/// `\n`, `\r\n` and a lone `\r`. `None` on the last line.
fn next_line_start(bytes: &[u8], pos: usize) -> Option<usize> {
    let rest = bytes.get(pos..)?;
    let i = memchr::memchr2(b'\n', b'\r', rest)?;
    let crlf = rest.get(i) == Some(&b'\r') && rest.get(i + 1) == Some(&b'\n');
    Some(pos + i + if crlf { 2 } else { 1 })
}

/// True when a line starts with the document marker `marker` (`---` or `...`) standing alone.
fn starts_marker(line: &[u8], marker: &[u8]) -> bool {
    line.starts_with(marker) && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
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

impl Iterator for Documents<'_> {
    type Item = ParsedDocument;

    fn next(&mut self) -> Option<ParsedDocument> {
        if self.done {
            return None;
        }
        if let Some(fast) = self.next_fast() {
            return fast;
        }
        // Find the next document start.
        let start_line = loop {
            match self.next_event() {
                None | Some(Ok((Event::StreamEnd, _))) => {
                    self.done = true;
                    return None;
                }
                Some(Ok((Event::DocumentStart(_), span))) => break self.line_of(&span),
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    let err = self.scan_error(&e);
                    let line = err.line().unwrap_or(0);
                    let doc = self.finish(line, Err(err));
                    if !self.done && !self.recover(line, 0) {
                        self.done = true;
                    }
                    return Some(doc);
                }
            }
        };
        let result = self.build_document();
        let err_line = match &result {
            Ok(_) => None,
            Err(e) => Some(e.line().unwrap_or(0)),
        };
        let doc = self.finish(start_line, result);
        match err_line {
            None if !self.done => self.resume_fast(),
            Some(line) if !self.done && !self.recover(line, start_line) => self.done = true,
            _ => {}
        }
        Some(doc)
    }
}

impl Documents<'_> {
    /// Numbers a document read by the full parser, or replaces it by the document-count error
    /// once the limit is passed.
    fn finish(&mut self, line: u32, result: Result<Node, EvidenceError>) -> ParsedDocument {
        let index = self.index;
        self.index += 1;
        if index >= self.limits.max_documents_per_file {
            self.done = true;
            return ParsedDocument {
                index,
                line,
                result: Err(EvidenceError::TooManyDocuments {
                    line,
                    limit: self.limits.max_documents_per_file,
                }),
            };
        }
        ParsedDocument {
            index,
            line,
            result,
        }
    }

    /// After an error at `err_line` in the document that began on `doc_line`, starts reading
    /// again at the next document marker: a `---` line, or the line after a `...` line. Both
    /// readers recover the same way, so a broken document never costs the ones after it and
    /// no parser state (such as anchors) leaks from one document into the next. False when no
    /// marker follows.
    fn recover(&mut self, err_line: u32, doc_line: u32) -> bool {
        if err_line == 0 {
            return false;
        }
        let bytes = self.text.as_bytes();
        let (mut pos, mut line) = self.cursor;
        loop {
            let rest = bytes.get(pos..).unwrap_or_default();
            let marker = |m: &[u8]| starts_marker(rest, m);
            let after = next_line_start(bytes, pos);
            if line >= err_line {
                let restart = if marker(b"---") && line > doc_line && pos > self.parser_start {
                    Some((pos, line))
                } else if marker(b"...") {
                    after.map(|p| (p, line.saturating_add(1)))
                } else {
                    None
                };
                if let Some((pos, line)) = restart.filter(|&(_, l)| l > doc_line) {
                    self.restart(pos, line);
                    return true;
                }
            }
            let Some(p) = after else {
                return false;
            };
            pos = p;
            line = line.saturating_add(1);
        }
    }

    /// Reads on from `pos`, the start of line `line`: with the fast reader where it is enabled
    /// (it hands over to a fresh full parser on what it does not read), else a fresh parser.
    fn restart(&mut self, pos: usize, line: u32) {
        self.cursor = (pos, line);
        self.end_line = None;
        if self.fast_enabled {
            self.fast = Some(FastReader::resume(
                self.text,
                pos,
                line,
                self.limits.max_depth,
            ));
            self.parser = None;
        } else {
            self.start_parser(pos, line);
        }
    }

    /// A fresh full parser on the text from `pos`, the start of line `line`.
    fn start_parser(&mut self, pos: usize, line: u32) {
        self.parser = Some(Parser::new_from_str(self.text.get(pos..).unwrap_or("")));
        self.parser_start = pos;
        self.line_offset = line.saturating_sub(1);
        self.cursor = (pos, line);
    }
}

impl Documents<'_> {
    /// The parser's own nesting guard is reported as the depth limit it is.
    fn scan_error(&self, e: &saphyr_parser::ScanError) -> EvidenceError {
        let line = u32::try_from(e.marker().line())
            .unwrap_or(u32::MAX)
            .saturating_add(self.line_offset);
        if e.info().contains("unknown anchor") {
            // The same error the tree builder gives when the parser still knows an anchor
            // from an earlier document.
            EvidenceError::UnknownAlias { line }
        } else if e.info().contains("recursion limit") {
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

    fn build_document(&mut self) -> Result<Node, EvidenceError> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut anchors: HashMap<usize, Node> = HashMap::new();
        let mut alias_budget = self.limits.max_alias_nodes;
        let mut root: Option<Node> = None;
        loop {
            let line_offset = self.line_offset;
            let (event, span) = match self.next_event() {
                Some(Ok(ev)) => ev,
                Some(Err(e)) => return Err(self.scan_error(&e)),
                None => {
                    return Err(EvidenceError::Syntax {
                        line: 0,
                        message: "unexpected end of input".to_owned(),
                    })
                }
            };
            let line = line_at(&span, line_offset);
            let completed = match event {
                Event::DocumentEnd => {
                    self.end_line = Some(line);
                    return Ok(root.unwrap_or(Node {
                        line,
                        value: Value::Null,
                    }));
                }
                Event::StreamEnd | Event::StreamStart | Event::DocumentStart(_) => {
                    return Err(EvidenceError::Syntax {
                        line,
                        message: "unexpected document boundary".to_owned(),
                    })
                }
                Event::Nothing => continue,
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    if stack.len() >= self.limits.max_depth {
                        return Err(EvidenceError::TooDeep {
                            line,
                            limit: self.limits.max_depth,
                        });
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
                    _ => return Err(unbalanced(line)),
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
                    _ => return Err(unbalanced(line)),
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
                        return Err(EvidenceError::UnknownAlias { line });
                    };
                    let size = target.size();
                    if size > alias_budget {
                        return Err(EvidenceError::AliasBudget {
                            line,
                            limit: self.limits.max_alias_nodes,
                        });
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
                    None => *key = Some((key_text(node, line)?, is_merge_key)),
                    Some((_, true)) => merges.push(node),
                    Some((k, false)) => {
                        let duplicate = match seen {
                            Some(set) => !set.insert(k.clone()),
                            None => entries.iter().any(|(existing, _)| *existing == k),
                        };
                        if duplicate {
                            return Err(EvidenceError::DuplicateKey {
                                line: node.line,
                                key: k,
                            });
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

fn key_text(node: Node, line: u32) -> Result<String, EvidenceError> {
    scalar_key(node.value).ok_or(EvidenceError::ComplexKey { line })
}

/// The mapping key a resolved scalar stands for, as `kubectl` turns keys into JSON strings
/// (`None` for a collection).
pub(super) fn scalar_key(value: Value) -> Option<String> {
    Some(match value {
        Value::Str(s) => s,
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Seq(_) | Value::Map(_) => return None,
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

    #[test]
    fn reading_goes_on_at_the_next_marker_after_a_broken_document() {
        let text = "a: 1\n---\nb: ]\nc: 2\n---\nd: 4\n...\ne: [\n...\nf: 6\n";
        for docs in [
            documents(text, &Limits::default()).collect::<Vec<_>>(),
            documents_full(text, &Limits::default()).collect(),
        ] {
            let lines: Vec<(usize, u32, bool)> = docs
                .iter()
                .map(|d| (d.index, d.line, d.result.is_ok()))
                .collect();
            assert_eq!(
                lines,
                [
                    (0, 1, true),
                    (1, 2, false),
                    (2, 5, true),
                    (3, 8, false),
                    (4, 10, true)
                ]
            );
        }
    }

    #[test]
    fn an_alias_to_an_earlier_document_is_unknown_in_both_readers() {
        let text = "a: &x 1\n---\nb: *x\n---\nc: 3\n";
        for docs in [
            documents(text, &Limits::default()).collect::<Vec<_>>(),
            documents_full(text, &Limits::default()).collect(),
        ] {
            assert_eq!(docs.len(), 3);
            assert!(matches!(
                docs[1].result,
                Err(EvidenceError::UnknownAlias { line: 3 })
            ));
            assert!(docs[2].result.is_ok());
        }
    }
}
