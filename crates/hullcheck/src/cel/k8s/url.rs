//! `url`: URLs as Kubernetes' URL library reads them (Go's `url.ParseRequestURI`: an absolute
//! URI or an absolute path, no fragment split), with the getters of its parts.

use std::collections::HashMap;

use cel::common::types::{CelBool, CelList, CelMap, CelMapKey, CelString};
use cel::common::value::Val;
use cel::{DeclarationError, Env, ExecutionError};

use super::{fail, opaque};

/// A parsed URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    scheme: String,
    host: String,
    path: String,
    query: String,
}

opaque!(Url, URL_TYPE, "kubernetes.URL");

fn parse(s: &str) -> Option<Url> {
    if s.is_empty() || s.chars().any(|c| c.is_ascii_control() || c == ' ') {
        return None;
    }
    let (scheme, rest) = match s.find(':') {
        Some(i) if i > 0 && s.get(..i).is_some_and(valid_scheme) => (s.get(..i)?, s.get(i + 1..)?),
        _ => ("", s),
    };
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    if !rest.starts_with('/') {
        // An opaque URI (`mailto:a@b`) needs a scheme; a request path must be absolute.
        return (!scheme.is_empty()).then(|| Url {
            scheme: scheme.to_owned(),
            host: String::new(),
            path: String::new(),
            query: query.to_owned(),
        });
    }
    let (host, path) = match rest.strip_prefix("//") {
        Some(after) if !scheme.is_empty() => {
            let end = after.find('/').unwrap_or(after.len());
            (after.get(..end)?, after.get(end..)?)
        }
        _ => ("", rest),
    };
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    if !valid_host(host) || !valid_escapes(path) {
        return None;
    }
    Some(Url {
        scheme: scheme.to_owned(),
        host: host.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
    })
}

fn valid_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn valid_host(h: &str) -> bool {
    let (name, port) = split_host(h);
    port.bytes().all(|b| b.is_ascii_digit())
        && (h.starts_with('[')
            || name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~%!$&'()*+,;=".contains(c)))
}

fn valid_escapes(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, c)| {
        *c != b'%'
            || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// The hostname and the port of a `host[:port]` (brackets of an IPv6 literal removed).
fn split_host(h: &str) -> (&str, &str) {
    if let Some(rest) = h.strip_prefix('[') {
        if let Some((name, after)) = rest.split_once(']') {
            return (name, after.strip_prefix(':').unwrap_or(""));
        }
        return (rest, "");
    }
    match h.rsplit_once(':') {
        Some((name, port)) => (name, port),
        None => (h, ""),
    }
}

/// Registers `url`, `isURL` and the getters.
pub fn extension(env: &mut Env) -> Result<(), DeclarationError> {
    cel::add_overload!(env, fn url: (CelString) -> Result<Url>)?;
    cel::add_overload!(env, fn is_url: (CelString) -> CelBool, name = "isURL")?;
    cel::add_member_overload!(env, fn get_scheme: (Url) -> CelString)?;
    cel::add_member_overload!(env, fn get_host: (Url) -> CelString)?;
    cel::add_member_overload!(env, fn get_hostname: (Url) -> CelString)?;
    cel::add_member_overload!(env, fn get_port: (Url) -> CelString)?;
    cel::add_member_overload!(env, fn get_escaped_path: (Url) -> CelString)?;
    cel::add_member_overload!(env, fn get_query: (Url) -> CelMap)?;
    Ok(())
}

fn url(s: &CelString<'_>) -> Result<Url, ExecutionError> {
    parse(s.inner()).ok_or_else(|| fail("url", format!("`{}` is not a URL", s.inner())))
}

fn is_url(s: &CelString<'_>) -> CelBool {
    CelBool::from(parse(s.inner()).is_some())
}

fn get_scheme(u: &Url) -> CelString<'static> {
    u.scheme.clone().into()
}

fn get_host(u: &Url) -> CelString<'static> {
    u.host.clone().into()
}

fn get_hostname(u: &Url) -> CelString<'static> {
    split_host(&u.host).0.to_owned().into()
}

fn get_port(u: &Url) -> CelString<'static> {
    split_host(&u.host).1.to_owned().into()
}

fn get_escaped_path(u: &Url) -> CelString<'static> {
    u.path.clone().into()
}

fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// The query as a map of each key to its values, in order.
fn get_query(u: &Url) -> CelMap<'static> {
    let mut order: Vec<String> = Vec::new();
    let mut values: HashMap<String, Vec<String>> = HashMap::new();
    for pair in u.query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let k = decode(k);
        if !values.contains_key(&k) {
            order.push(k.clone());
        }
        values.entry(k).or_default().push(decode(v));
    }
    let map: HashMap<CelMapKey<'static>, Box<dyn Val + 'static>> = order
        .into_iter()
        .map(|k| {
            let list: Vec<Box<dyn Val>> = values
                .remove(&k)
                .unwrap_or_default()
                .into_iter()
                .map(|v| Box::new(CelString::from(v)) as Box<dyn Val>)
                .collect();
            (
                CelMapKey::String(CelString::from(k)),
                Box::new(CelList::from(list)) as Box<dyn Val>,
            )
        })
        .collect();
    CelMap::from(map)
}
