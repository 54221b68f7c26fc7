//! A fast reader for the block-style YAML that Kubernetes manifests are written in.
//!
//! It reads block mappings and sequences, one-line plain and quoted scalars, comments, empty
//! `[]`/`{}` and `---` separators, and builds exactly the [`Node`] trees the full reader in
//! [`super::yaml`] builds, lines included. Anything else (flow collections, block scalars,
//! anchors, aliases, tags, merge keys, multi-line scalars, tabs, CR line ends, duplicate keys,
//! deep nesting, empty documents) makes it give up with [`Bail`], and the full reader takes over
//! at the start of the document it could not finish, so a bail costs only the wasted prefix.
//!
//! Equality with the full reader on everything this one accepts is what makes it admissible:
//! `tests/yaml_fast.rs` checks it on the shared corpus and on generated documents, and the
//! `yaml_diff` fuzz target checks it on arbitrary input.

mod flow;

use super::node::{Node, Value};
use super::scalar::resolve_plain;

/// The fast reader gave up; the full reader must read from the current document on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bail;

type Fast<T> = Result<T, Bail>;

/// Nesting deeper than this is left to the full reader, which applies the configured limit.
const MAX_DEPTH: usize = 64;
/// YAML limits implicit keys to 1024 characters; longer ones are left to the full reader.
const MAX_KEY_LEN: usize = 1024;

/// One significant (non-blank, non-comment) line, or the rest of one after `- `.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// 1-based line number.
    no: u32,
    /// Byte offset where the line starts.
    begin: usize,
    /// Byte offset where the content starts; its column is `start - begin`.
    start: usize,
    /// Byte offset of the end of the line, before `\n`.
    end: usize,
    /// Byte offset of the next line.
    next: usize,
}

impl Line {
    fn indent(&self) -> usize {
        self.start - self.begin
    }
}

#[derive(Debug, Clone, Copy)]
enum Peek {
    Line(Line),
    Marker(Line),
    Eof,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    MapValue,
    SeqItem,
}

/// A mapping's entries as they are read; a repeated key gives up (the full reader reports it).
#[derive(Debug, Default)]
struct Entries {
    list: Vec<(String, Node)>,
    /// Keys seen, once the mapping is large enough that a linear scan would cost.
    seen: Option<std::collections::HashSet<String>>,
}

impl Entries {
    fn push(&mut self, key: String, value: Node) -> Fast<()> {
        let duplicate = match &mut self.seen {
            Some(set) => !set.insert(key.clone()),
            None => self.list.iter().any(|(k, _)| *k == key),
        };
        if duplicate || key == "<<" {
            return Err(Bail);
        }
        if self.seen.is_none() && self.list.len() >= 16 {
            let mut set: std::collections::HashSet<String> =
                self.list.iter().map(|(k, _)| k.clone()).collect();
            set.insert(key.clone());
            self.seen = Some(set);
        }
        self.list.push((key, value));
        Ok(())
    }
}

/// Reads documents of the subset one at a time.
#[derive(Debug)]
pub struct FastReader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    max_depth: usize,
    first: bool,
    peeked: Option<Peek>,
}

impl<'a> FastReader<'a> {
    /// A reader at the start of `text`; collections nested `max_depth` deep are left to the
    /// full reader.
    pub fn new(text: &'a str, max_depth: usize) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
            max_depth: max_depth.min(MAX_DEPTH),
            first: true,
            peeked: None,
        }
    }

    /// A reader that goes on at `pos`, the start of line `line`, where a `---` marker begins
    /// the next document.
    pub fn resume(text: &'a str, pos: usize, line: u32, max_depth: usize) -> Self {
        Self {
            pos,
            line,
            first: false,
            ..Self::new(text, max_depth)
        }
    }

    /// The byte offset and 1-based line where the unread text begins (always a line start).
    pub fn position(&self) -> (usize, u32) {
        (self.pos, self.line)
    }

    /// The next document as its first line and tree; `None` at the end of the stream.
    pub fn next_document(&mut self) -> Fast<Option<(u32, Node)>> {
        let first = std::mem::replace(&mut self.first, false);
        let (doc_line, root) = match self.peek()? {
            Peek::Eof => return Ok(None),
            Peek::Marker(m) => {
                self.consume(m);
                self.trailing(m.start + 3, m.end)?;
                match self.peek()? {
                    Peek::Line(l) => (m.no, l),
                    Peek::Marker(_) | Peek::Eof => return Err(Bail),
                }
            }
            Peek::Line(l) if first => (l.no, l),
            Peek::Line(_) => return Err(Bail),
        };
        let node = if self.is_dash(&root) {
            self.seq(root.indent(), 0)?
        } else if matches!(self.byte(root.start), Some(b'[' | b'{')) {
            self.flow(root.start, root.no, None, 0)?
        } else {
            self.map(root, 0)?
        };
        match self.peek()? {
            Peek::Eof | Peek::Marker(_) => Ok(Some((doc_line, node))),
            Peek::Line(_) => Err(Bail),
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes.get(at).copied()
    }

    fn str(&self, from: usize, to: usize) -> Fast<&'a str> {
        self.text.get(from..to).ok_or(Bail)
    }

    /// The next significant line, skipping blank and comment lines for good.
    fn peek(&mut self) -> Fast<Peek> {
        if let Some(p) = self.peeked {
            return Ok(p);
        }
        loop {
            let Some(rest) = self.bytes.get(self.pos..) else {
                return Err(Bail);
            };
            if rest.is_empty() {
                self.peeked = Some(Peek::Eof);
                return Ok(Peek::Eof);
            }
            let (end, next) = match memchr::memchr(b'\n', rest) {
                Some(i) => (self.pos + i, self.pos + i + 1),
                None => (self.bytes.len(), self.bytes.len()),
            };
            let content = self.bytes.get(self.pos..end).ok_or(Bail)?;
            self.check_chars(content)?;
            let indent = content.iter().take_while(|b| **b == b' ').count();
            let line = Line {
                no: self.line,
                begin: self.pos,
                start: self.pos + indent,
                end,
                next,
            };
            match content.get(indent) {
                None | Some(b'#') => {
                    self.pos = next;
                    self.line = self.line.saturating_add(1);
                }
                Some(b'-' | b'.') if indent == 0 && content.len() >= 3 => {
                    let p = if content.starts_with(b"---")
                        && content.get(3).is_none_or(|b| *b == b' ')
                    {
                        Peek::Marker(line)
                    } else if content.starts_with(b"...") || content.starts_with(b"---") {
                        return Err(Bail);
                    } else {
                        Peek::Line(line)
                    };
                    self.peeked = Some(p);
                    return Ok(p);
                }
                Some(_) => {
                    self.peeked = Some(Peek::Line(line));
                    return Ok(Peek::Line(line));
                }
            }
        }
    }

    /// Gives up on control characters (tabs and CR included) and on characters YAML does not
    /// allow in content.
    fn check_chars(&self, content: &[u8]) -> Fast<()> {
        let suspicious = content
            .iter()
            .fold(false, |acc, b| acc | (*b < 0x20) | (*b >= 0x7f));
        if !suspicious {
            return Ok(());
        }
        if content.iter().any(|b| *b < 0x20 || *b == 0x7f) {
            return Err(Bail);
        }
        let text = std::str::from_utf8(content).map_err(|_| Bail)?;
        let bad = |c: char| matches!(c, '\u{80}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}');
        if text.chars().any(bad) {
            return Err(Bail);
        }
        Ok(())
    }

    fn consume(&mut self, l: Line) {
        self.pos = l.next;
        self.line = l.no.saturating_add(1);
        self.peeked = None;
    }

    fn is_dash(&self, l: &Line) -> bool {
        l.start < l.end
            && self.byte(l.start) == Some(b'-')
            && (l.start + 1 >= l.end || self.byte(l.start + 1) == Some(b' '))
    }

    fn map(&mut self, first: Line, depth: usize) -> Fast<Node> {
        if depth >= self.max_depth {
            return Err(Bail);
        }
        let n = first.indent();
        let mut entries = Entries::default();
        let mut cur = first;
        loop {
            let (key, after) = self.key(&cur)?;
            self.consume(cur);
            let value = self.value(&cur, after, n, depth + 1, Owner::MapValue)?;
            entries.push(key, value)?;
            match self.peek()? {
                Peek::Line(l) if l.indent() == n => cur = l,
                Peek::Line(l) if l.indent() > n => return Err(Bail),
                _ => break,
            }
        }
        Ok(Node {
            line: first.no,
            value: Value::Map(entries.list),
        })
    }

    fn seq(&mut self, n: usize, depth: usize) -> Fast<Node> {
        if depth >= self.max_depth {
            return Err(Bail);
        }
        let mut items = Vec::new();
        let mut line = None;
        while let Peek::Line(l) = self.peek()? {
            if l.indent() != n || !self.is_dash(&l) {
                if l.indent() > n {
                    return Err(Bail);
                }
                break;
            }
            line.get_or_insert(l.no);
            self.consume(l);
            items.push(self.value(&l, l.start + 1, n, depth + 1, Owner::SeqItem)?);
        }
        Ok(Node {
            line: line.ok_or(Bail)?,
            value: Value::Seq(items),
        })
    }

    /// The key of a mapping entry line and the offset just after its `:`.
    fn key(&self, l: &Line) -> Fast<(String, usize)> {
        let i = l.start;
        let c = self.byte(i).ok_or(Bail)?;
        if c == b'"' || c == b'\'' {
            let (key, after) = self.quoted(i, l.end)?;
            let colon = after < l.end && self.byte(after) == Some(b':');
            if !colon || !(after + 1 >= l.end || self.byte(after + 1) == Some(b' ')) {
                return Err(Bail);
            }
            return Ok((key, after + 1));
        }
        if !self.plain_start(i, l.end) {
            return Err(Bail);
        }
        let mut j = i;
        let colon = loop {
            match self.byte(j) {
                _ if j >= l.end => return Err(Bail),
                Some(b':') if j + 1 >= l.end || self.byte(j + 1) == Some(b' ') => break j,
                Some(b'#') if self.byte(j.wrapping_sub(1)) == Some(b' ') => return Err(Bail),
                Some(_) => j += 1,
                None => return Err(Bail),
            }
        };
        let raw = self.str(i, colon)?.trim_end_matches(' ');
        if raw.is_empty() || raw.len() > MAX_KEY_LEN || raw == "<<" {
            return Err(Bail);
        }
        let key = super::yaml::scalar_key(resolve_plain(raw)).ok_or(Bail)?;
        Ok((key, colon + 1))
    }

    /// True when a plain scalar may start at `i`: not an indicator, except `-` before a
    /// non-space.
    fn plain_start(&self, i: usize, end: usize) -> bool {
        match self.byte(i) {
            Some(b'-') => i + 1 < end && !matches!(self.byte(i + 1), None | Some(b' ')),
            Some(
                b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
                | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ',
            )
            | None => false,
            Some(_) => i < end,
        }
    }

    /// The value after a mapping key's `:` or a sequence entry's `-`, starting at `from`.
    fn value(&mut self, l: &Line, from: usize, n: usize, depth: usize, owner: Owner) -> Fast<Node> {
        let mut i = from;
        while i < l.end && self.byte(i) == Some(b' ') {
            i += 1;
        }
        let null = Node {
            line: l.no,
            value: Value::Null,
        };
        if i >= l.end || self.byte(i) == Some(b'#') {
            return match self.peek()? {
                Peek::Line(next) if next.indent() > n => {
                    if self.is_dash(&next) {
                        self.seq(next.indent(), depth)
                    } else {
                        self.map(next, depth)
                    }
                }
                Peek::Line(next)
                    if next.indent() == n && owner == Owner::MapValue && self.is_dash(&next) =>
                {
                    self.seq(n, depth)
                }
                _ => Ok(null),
            };
        }
        let c = self.byte(i).ok_or(Bail)?;
        let value = match c {
            b'"' | b'\'' => {
                let (s, after) = self.quoted(i, l.end)?;
                self.trailing(after, l.end)?;
                Value::Str(s)
            }
            b'[' | b'{' => self.flow(i, l.no, Some(n), depth)?.value,
            _ if !self.plain_start(i, l.end) => return Err(Bail),
            _ => {
                let (end, is_key) = self.plain_end(i, l.end);
                if is_key {
                    if owner != Owner::SeqItem {
                        return Err(Bail);
                    }
                    let inner = Line { start: i, ..*l };
                    return self.map(inner, depth);
                }
                let raw = self.str(i, end)?.trim_end_matches(' ');
                resolve_plain(raw)
            }
        };
        if let Peek::Line(next) = self.peek()? {
            if next.indent() > n {
                return Err(Bail);
            }
        }
        Ok(Node { line: l.no, value })
    }

    /// Where a plain scalar starting at `i` ends (a comment or the line end), and whether a
    /// `: ` makes it a mapping key instead.
    fn plain_end(&self, i: usize, end: usize) -> (usize, bool) {
        let mut j = i;
        while j < end {
            match self.byte(j) {
                Some(b':') if j + 1 >= end || self.byte(j + 1) == Some(b' ') => return (j, true),
                Some(b'#') if self.byte(j.wrapping_sub(1)) == Some(b' ') => return (j, false),
                _ => j += 1,
            }
        }
        (end, false)
    }

    /// After a scalar or marker only spaces and a comment (after a space) may follow.
    fn trailing(&self, from: usize, end: usize) -> Fast<()> {
        let mut i = from;
        while i < end && self.byte(i) == Some(b' ') {
            i += 1;
        }
        if i >= end || (self.byte(i) == Some(b'#') && i > from) {
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// A one-line quoted scalar starting at `i`: its value and the offset after the closing
    /// quote.
    fn quoted(&self, i: usize, end: usize) -> Fast<(String, usize)> {
        let quote = self.byte(i).ok_or(Bail)?;
        let mut out = String::new();
        let mut run = i + 1;
        let mut j = i + 1;
        loop {
            if j >= end {
                return Err(Bail);
            }
            let b = self.byte(j).ok_or(Bail)?;
            if b == quote {
                out.push_str(self.str(run, j)?);
                if quote == b'\'' && self.byte(j + 1) == Some(b'\'') && j + 1 < end {
                    out.push('\'');
                    j += 2;
                    run = j;
                    continue;
                }
                return Ok((out, j + 1));
            }
            if quote == b'"' && b == b'\\' {
                out.push_str(self.str(run, j)?);
                let (c, len) = self.escape(j + 1, end)?;
                out.push(c);
                j += 1 + len;
                run = j;
                continue;
            }
            j += 1;
        }
    }

    /// One double-quoted escape after its backslash: the character and the bytes it took.
    fn escape(&self, at: usize, end: usize) -> Fast<(char, usize)> {
        if at >= end {
            return Err(Bail);
        }
        let simple = match self.byte(at).ok_or(Bail)? {
            b'0' => '\0',
            b'a' => '\u{7}',
            b'b' => '\u{8}',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\u{b}',
            b'f' => '\u{c}',
            b'r' => '\r',
            b'e' => '\u{1b}',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' => return self.hex(at + 1, 2, end),
            b'u' => return self.hex(at + 1, 4, end),
            b'U' => return self.hex(at + 1, 8, end),
            _ => return Err(Bail),
        };
        Ok((simple, 1))
    }

    fn hex(&self, from: usize, digits: usize, end: usize) -> Fast<(char, usize)> {
        if from + digits > end {
            return Err(Bail);
        }
        let s = self.str(from, from + digits)?;
        if !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Bail);
        }
        let code = u32::from_str_radix(s, 16).map_err(|_| Bail)?;
        let c = char::from_u32(code).ok_or(Bail)?;
        Ok((c, 1 + digits))
    }
}
