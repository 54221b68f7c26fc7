//! Where kubectl's YAML reader (sigs.k8s.io/yaml over go-yaml) is more lenient than the YAML
//! parser hullcheck uses, the text is adjusted so that it reads as kubectl reads it, without
//! changing any value or line number.
//!
//! - A quoted scalar continued on a line indented no deeper than its key (`key: '[` … `]'`):
//!   go-yaml accepts it, saphyr refuses it ("invalid indentation in quoted scalar"). Leading
//!   blanks of a quoted scalar's continuation lines are folded away, so indenting those lines
//!   up to the opening quote's column changes no value.

/// The parser's message for a quoted scalar continued on a line indented too little.
pub const QUOTED_INDENT: &str = "invalid indentation in quoted scalar";

/// The text with the continuation lines of the quoted scalar that starts on `line` (1-based)
/// indented to the column of its opening quote; `None` when no such scalar is found.
pub fn reindent_quoted(text: &str, line: u32) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let start = usize::try_from(line).ok()?.checked_sub(1)?;
    let first = lines.get(start)?;
    let (col, quote) = opening_quote(first)?;
    // Find where the scalar ends, from just after the opening quote.
    let mut end = None;
    let mut rest = first.get(col + 1..)?;
    let mut i = start;
    loop {
        if let Some(close) = closing_quote(rest, quote) {
            let _ = close;
            end = Some(i);
            break;
        }
        i += 1;
        match lines.get(i) {
            Some(l) => rest = l,
            None => break,
        }
    }
    let end = end?;
    if end == start {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 64);
    for (n, l) in lines.iter().enumerate() {
        if n > start && n <= end {
            let body = l.trim_start_matches(' ');
            let indent = l.len() - body.len();
            if indent < col && !body.trim().is_empty() {
                out.extend(std::iter::repeat_n(' ', col));
                out.push_str(body);
                continue;
            }
        }
        out.push_str(l);
    }
    Some(out)
}

/// The column and character of the quote that opens a flow scalar value on this line: the
/// first `'` or `"` after `: `, `- `, `[`, `{` or `,` (or at the line's start), outside a comment.
fn opening_quote(line: &str) -> Option<(usize, char)> {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'#' if i == 0 || bytes.get(i - 1).is_some_and(|p| *p == b' ') => return None,
            b'\'' | b'"' => {
                let before = line.get(..i)?.trim_end();
                let opens = before.is_empty()
                    || before.ends_with(':')
                    || before.ends_with('-')
                    || before.ends_with(['[', '{', ',']);
                if opens {
                    return Some((i, char::from(*b)));
                }
            }
            _ => {}
        }
    }
    None
}

/// The byte position of the quote closing a scalar opened by `quote`, in `s` (which starts
/// inside the scalar): `''` is an escaped quote in single-quoted scalars, `\` escapes in
/// double-quoted ones.
fn closing_quote(s: &str, quote: char) -> Option<usize> {
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn continuation_lines_are_indented_to_the_quote() {
        let text = "a:\n  b: '[\n  x\n  ]'\nc: 1\n";
        let fixed = reindent_quoted(text, 2).unwrap();
        assert_eq!(fixed, "a:\n  b: '[\n     x\n     ]'\nc: 1\n");
        assert_eq!(fixed.lines().count(), text.lines().count());
        // Escaped quotes do not end the scalar; a scalar on one line needs nothing.
        let text = "b: \"say \\\"hi\n\\\" there\"\n";
        assert_eq!(
            reindent_quoted(text, 1).unwrap(),
            "b: \"say \\\"hi\n   \\\" there\"\n"
        );
        assert_eq!(reindent_quoted("b: 'one line'\n", 1), None);
        assert_eq!(
            reindent_quoted("b: 'it''s\nx'\n", 1).unwrap(),
            "b: 'it''s\n   x'\n"
        );
    }
}
