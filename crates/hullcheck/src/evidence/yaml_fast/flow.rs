//! Flow collections for the fast reader: `[…]` and `{…}`, on one line or many, which covers
//! JSON documents and the one-line lists manifests use (`args: ["-c", "run"]`).
//!
//! The subset: quoted scalars on one line, plain scalars of word and number characters, JSON-like and
//! plain keys with a value. Trailing commas, single-pair entries (`[a: 1]`), keys without a
//! value, multi-line scalars and continuation lines not indented past the owning block give up.

use super::{Bail, Entries, FastReader};
use crate::evidence::node::{Node, Value};
use crate::evidence::scalar::resolve_plain;

type Fast<T> = Result<T, Bail>;

/// A position inside a flow collection.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    pos: usize,
    line: u32,
    /// End of the current line, found once per line: scanning for it at every scalar would make
    /// a long one-line (minified) JSON document quadratic.
    end: usize,
}

fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl FastReader<'_> {
    /// Reads the flow collection starting at byte `start` of line `no`, whose continuation lines
    /// must be indented past `parent` (the owning block's indent; `None` at the root), then
    /// moves the reader to the line after the one the collection ends on.
    pub(super) fn flow(
        &mut self,
        start: usize,
        no: u32,
        parent: Option<usize>,
        depth: usize,
    ) -> Fast<Node> {
        let mut cur = Cursor {
            pos: start,
            line: no,
            end: self.line_end(start),
        };
        let node = self.flow_node(&mut cur, parent, depth)?;
        let end = cur.end;
        self.trailing(cur.pos, end)?;
        self.pos = (end + 1).min(self.bytes.len());
        self.line = cur.line.saturating_add(1);
        self.peeked = None;
        Ok(node)
    }

    fn line_end(&self, from: usize) -> usize {
        self.bytes
            .get(from..)
            .and_then(|rest| memchr::memchr(b'\n', rest))
            .map_or(self.bytes.len(), |i| from + i)
    }

    /// Skips spaces, comments and line breaks; each new line is checked like a block line and
    /// must be indented past `parent`.
    fn skip_ws(&self, cur: &mut Cursor, parent: Option<usize>) -> Fast<()> {
        loop {
            match self.byte(cur.pos) {
                Some(b' ') => cur.pos += 1,
                Some(b'#') if matches!(self.byte(cur.pos.wrapping_sub(1)), Some(b' ' | b'\n')) => {
                    cur.pos = cur.end;
                }
                Some(b'\n') => {
                    cur.pos += 1;
                    cur.line = cur.line.saturating_add(1);
                    let end = self.line_end(cur.pos);
                    cur.end = end;
                    let content = self.bytes.get(cur.pos..end).ok_or(Bail)?;
                    self.check_chars(content)?;
                    let indent = content.iter().take_while(|b| **b == b' ').count();
                    let blank = matches!(content.get(indent), None | Some(b'#'));
                    if indent == 0 && (content.starts_with(b"---") || content.starts_with(b"...")) {
                        return Err(Bail);
                    }
                    if !blank && parent.is_some_and(|n| indent <= n) {
                        return Err(Bail);
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    fn flow_node(&self, cur: &mut Cursor, parent: Option<usize>, depth: usize) -> Fast<Node> {
        let line = cur.line;
        let value = match self.byte(cur.pos).ok_or(Bail)? {
            b'[' => {
                if depth >= self.max_depth {
                    return Err(Bail);
                }
                cur.pos += 1;
                Value::Seq(self.flow_seq(cur, parent, depth)?)
            }
            b'{' => {
                if depth >= self.max_depth {
                    return Err(Bail);
                }
                cur.pos += 1;
                Value::Map(self.flow_map(cur, parent, depth)?)
            }
            b'"' | b'\'' => {
                let (s, after) = self.quoted(cur.pos, cur.end)?;
                cur.pos = after;
                Value::Str(s)
            }
            _ => resolve_plain(self.flow_plain(cur)?),
        };
        Ok(Node { line, value })
    }

    fn flow_seq(&self, cur: &mut Cursor, parent: Option<usize>, depth: usize) -> Fast<Vec<Node>> {
        let mut items = Vec::new();
        self.skip_ws(cur, parent)?;
        if self.byte(cur.pos) == Some(b']') {
            cur.pos += 1;
            return Ok(items);
        }
        loop {
            items.push(self.flow_node(cur, parent, depth + 1)?);
            if self.after_entry(cur, parent, b']')? {
                return Ok(items);
            }
        }
    }

    /// After an entry: a `,` and another entry (false), or the closing bracket (true). A
    /// trailing comma gives up.
    fn after_entry(&self, cur: &mut Cursor, parent: Option<usize>, close: u8) -> Fast<bool> {
        self.skip_ws(cur, parent)?;
        match self.byte(cur.pos) {
            Some(b',') => {
                cur.pos += 1;
                self.skip_ws(cur, parent)?;
                if self.byte(cur.pos) == Some(close) {
                    return Err(Bail);
                }
                Ok(false)
            }
            Some(b) if b == close => {
                cur.pos += 1;
                Ok(true)
            }
            _ => Err(Bail),
        }
    }

    fn flow_map(
        &self,
        cur: &mut Cursor,
        parent: Option<usize>,
        depth: usize,
    ) -> Fast<Vec<(String, Node)>> {
        let mut entries = Entries::default();
        self.skip_ws(cur, parent)?;
        if self.byte(cur.pos) == Some(b'}') {
            cur.pos += 1;
            return Ok(entries.list);
        }
        loop {
            let key = self.flow_key(cur)?;
            self.skip_ws(cur, parent)?;
            if matches!(self.byte(cur.pos), None | Some(b',' | b'}')) {
                return Err(Bail);
            }
            let value = self.flow_node(cur, parent, depth + 1)?;
            entries.push(key, value)?;
            if self.after_entry(cur, parent, b'}')? {
                return Ok(entries.list);
            }
        }
    }

    /// A key and its `:`; the cursor ends after the `:`.
    fn flow_key(&self, cur: &mut Cursor) -> Fast<String> {
        let (key, json_like) = match self.byte(cur.pos).ok_or(Bail)? {
            b'"' | b'\'' => {
                let (s, after) = self.quoted(cur.pos, cur.end)?;
                cur.pos = after;
                (s, true)
            }
            _ => {
                let raw = self.flow_plain(cur)?;
                if raw == "<<" {
                    return Err(Bail);
                }
                let key = crate::evidence::yaml::scalar_key(resolve_plain(raw)).ok_or(Bail)?;
                (key, false)
            }
        };
        // An implicit key and its `:` share a line.
        while self.byte(cur.pos) == Some(b' ') {
            cur.pos += 1;
        }
        if self.byte(cur.pos) != Some(b':') {
            return Err(Bail);
        }
        cur.pos += 1;
        // Only a quoted (JSON-like) key may have its value right after the `:`.
        if !json_like && !matches!(self.byte(cur.pos), Some(b' ' | b'\n')) {
            return Err(Bail);
        }
        Ok(key)
    }

    /// A plain scalar inside a flow collection, which must end on its own line.
    fn flow_plain<'s>(&'s self, cur: &mut Cursor) -> Fast<&'s str> {
        let start = cur.pos;
        let first = self.byte(start).ok_or(Bail)?;
        let safe_dash = first == b'-'
            && self
                .byte(start + 1)
                .is_some_and(|b| b != b' ' && b != b'\n' && !is_flow_indicator(b));
        let indicator = matches!(
            first,
            b'-' | b'?'
                | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
                | b' '
                | b'\n'
        );
        if indicator && !safe_dash {
            return Err(Bail);
        }
        let mut j = start;
        loop {
            match self.byte(j) {
                None | Some(b'\n') => break,
                Some(b) if is_flow_indicator(b) => break,
                Some(b':')
                    if self
                        .byte(j + 1)
                        .is_none_or(|n| n == b' ' || n == b'\n' || is_flow_indicator(n)) =>
                {
                    break
                }
                Some(b'#') if self.byte(j.wrapping_sub(1)) == Some(b' ') => break,
                Some(_) => j += 1,
            }
        }
        cur.pos = j;
        let raw = self.str(start, j)?.trim_end_matches(' ');
        // Flow plain scalars are where the full parser's corner cases live (`a - -`, `\:{`), and
        // what manifests and JSON put there is plain words and numbers: anything else is left
        // to the full reader.
        let safe = |b: u8| b.is_ascii_alphanumeric() || b"._-+/=@~:".contains(&b);
        if raw.is_empty() || !raw.bytes().all(safe) {
            return Err(Bail);
        }
        Ok(raw)
    }
}
