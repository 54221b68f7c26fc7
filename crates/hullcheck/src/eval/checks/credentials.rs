//! The literal-credential detector: a value is judged by what it looks like (the token formats
//! public secret-scanning rule sets publish) and by the name it is given (a credential-like name
//! with a literal value). References and file paths are never findings, and no message repeats
//! the value.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// The value formats, each with the phrase a message uses. The formats are the published ones
/// (AWS key IDs, PEM armour, JWT, the GitHub, GitLab and Slack token prefixes).
const FORMATS: &[(&str, &str)] = &[
    (
        r"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b",
        "an AWS access key ID",
    ),
    (
        r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----",
        "a PEM private key",
    ),
    (
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*",
        "a JSON Web Token",
    ),
    (
        r"(?i:\bbearer)\s+[A-Za-z0-9._~+/-]{16,}=*",
        "a bearer token",
    ),
    (
        r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{82}\b",
        "a GitHub token",
    ),
    (
        r"\b(?:glpat|glrt|gldt|glft|glsoat)-[A-Za-z0-9_-]{20,}|\bglptt-[0-9a-f]{40}\b|\bGR1348941[A-Za-z0-9_-]{20}\b",
        "a GitLab token",
    ),
    (
        r"\bxox[abposre]-[A-Za-z0-9-]{10,}|\bxapp-[0-9]-[A-Z0-9]+-[0-9]+-[a-z0-9]+",
        "a Slack token",
    ),
    (
        r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
        "a Slack webhook URL",
    ),
];

/// The shortest text any of [`FORMATS`] matches.
const MIN_TOKEN: usize = 12;

/// A URL with a user and a password: the password is group 1.
const URL_PASSWORD: &str = r#"[A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@'"]+:([^\s/?#@'"]+)@[^\s/?#@'"]"#;

struct Patterns {
    set: RegexSet,
    url: Regex,
}

/// The compiled patterns. They are constants, so they compile or the unit test below fails.
static PATTERNS: LazyLock<Result<Patterns, regex::Error>> = LazyLock::new(|| {
    // Word boundaries are ASCII (the tokens are ASCII), which keeps every pattern on the
    // regex crate's DFA engines; a Unicode `\b` would force its slower fallback.
    let ascii = |p: &str| p.replace(r"\b", r"(?-u:\b)");
    Ok(Patterns {
        set: RegexSet::new(FORMATS.iter().map(|(p, _)| ascii(p)))?,
        url: Regex::new(URL_PASSWORD)?,
    })
});

/// Names whose value is a pointer to a credential, never the credential: judged by value only.
const POINTER_SUFFIXES: &[&str] = &[
    "_FILE",
    "_PATH",
    "_DIR",
    "_NAME",
    "_URL",
    "_URI",
    "_ENDPOINT",
    "_TTL",
    "_EXPIRY",
    "_TIMEOUT",
    "_LENGTH",
    "_REF",
    "_ENABLED",
    "_TYPE",
    "_SECRET_NAME",
];

/// True when a name suggests a credential (`PASSWORD`, `SECRET`, `TOKEN`, `API_KEY`, …).
pub fn secret_like(name: &str) -> bool {
    // Cheap rejection, without allocating: every credential word holds one of these.
    let has = |w: &[u8]| {
        name.as_bytes()
            .windows(w.len())
            .any(|x| x.eq_ignore_ascii_case(w))
    };
    if !(has(b"pass") || has(b"secret") || has(b"token") || has(b"key") || has(b"credential")) {
        return false;
    }
    let n = normalise(name);
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "CREDENTIAL",
        "ACCESS_KEY",
        "AUTH_KEY",
    ]
    .iter()
    .any(|k| n.contains(k))
        && !POINTER_SUFFIXES.iter().any(|s| n.ends_with(s))
}

fn normalise(name: &str) -> String {
    name.trim_start_matches('-')
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_uppercase()
        .replace(['-', '.'], "_")
}

/// True when a value refers to a credential instead of holding it: a file path, a variable
/// reference (`$(VAR)`, `${VAR}`, `$VAR`), a template, or a plain boolean or number.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    v.is_empty()
        || v.starts_with('$')
        || v.starts_with('/')
        || v.starts_with("./")
        || v.starts_with("~/")
        || v.starts_with("file:")
        || v.starts_with("{{")
        || v.contains("://") && !v.contains('@')
        || v.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none"
        )
        || v.parse::<f64>().is_ok()
}

/// What a value looks like, when it holds a credential by its format (`None` otherwise).
pub fn format_of(value: &str) -> Option<&'static str> {
    let p = PATTERNS.as_ref().ok()?;
    // Most values hold no token: one pass says so, and only a hit asks which format. No
    // format is shorter than 12 characters (`xapp-1-A-1-a` is the shortest).
    if value.len() >= MIN_TOKEN && p.set.is_match(value) {
        if let Some(i) = p.set.matches(value).iter().next() {
            return FORMATS.get(i).map(|(_, what)| *what);
        }
    }
    if memchr::memmem::find(value.as_bytes(), b"://").is_some() {
        for caps in p.url.captures_iter(value) {
            if caps.get(1).is_some_and(|pw| !is_reference(pw.as_str())) {
                return Some("a password in a URL");
            }
        }
    }
    None
}

/// Judges one named value: by its format first, then by a credential-like name with a literal.
/// Returns the phrase for the message.
pub fn judge(name: Option<&str>, value: &str) -> Option<String> {
    if let Some(what) = format_of(value) {
        return Some(format!("holds what looks like {what}"));
    }
    match name {
        Some(n) if secret_like(n) && !is_reference(value) => {
            Some("gives a credential-like name a literal value".to_owned())
        }
        _ => None,
    }
}

/// `NAME=value` and `--name value` pairs in a list of words (a command line, a shell script).
pub fn assignments(words: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut iter = words.iter().peekable();
    while let Some(w) = iter.next() {
        let w = w.trim_matches(|c| c == '"' || c == '\'' || c == ';');
        if let Some((k, v)) = w.split_once('=') {
            if !k.is_empty() && is_name(k.trim_start_matches('-')) {
                out.push((k.to_owned(), v.to_owned()));
            }
        } else if w.starts_with('-') && secret_like(w) {
            if let Some(next) = iter.peek() {
                if !next.starts_with('-') {
                    out.push((w.to_owned(), (**next).to_owned()));
                }
            }
        }
    }
    out
}

fn is_name(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// `key: value` and `key = value` lines of a configuration text (properties, env files, YAML,
/// JSON), with quotes and a trailing comma removed.
pub fn config_lines(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line
            .trim()
            .trim_start_matches("export ")
            .trim_start_matches("- ");
        let Some(at) = line.find([':', '=']) else {
            continue;
        };
        let (k, v) = line.split_at(at);
        let k = k.trim().trim_matches(|c| c == '"' || c == '\'');
        let v = v
            .get(1..)
            .unwrap_or_default()
            .trim()
            .trim_end_matches(',')
            .trim_matches(|c| c == '"' || c == '\'');
        if is_name(k) && !v.is_empty() {
            out.push((k.to_owned(), v.to_owned()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patterns_compile() {
        assert!(PATTERNS.as_ref().is_ok());
    }

    #[test]
    fn no_format_matches_text_shorter_than_the_prefilter_allows() {
        let p = PATTERNS.as_ref().unwrap();
        for s in ["xoxb-12345", "AKIAIOSFODN", "eyJa.eyJb.c", "Bearer abc"] {
            assert!(s.len() < MIN_TOKEN);
            assert!(!p.set.is_match(s), "{s}");
        }
        assert!(p.set.is_match("xapp-1-A-1-a"));
        assert!(p.set.is_match("xoxb-1234567890"));
    }

    #[test]
    fn formats_are_recognised_by_value() {
        let cases = [
            ("AKIAIOSFODNN7EXAMPLE", "an AWS access key ID"),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIE", "a PEM private key"),
            ("-----BEGIN OPENSSH PRIVATE KEY-----", "a PEM private key"),
            (
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
                "a JSON Web Token",
            ),
            ("Authorization: Bearer abcdefghijklmnop1234", "a bearer token"),
            ("ghp_0123456789abcdefghijABCDEFGHIJ012345", "a GitHub token"),
            ("glpat-0123456789abcdefghij", "a GitLab token"),
            ("xoxb-1234567890-abcdefghij", "a Slack token"),
            ("postgres://app:hunter2@db:5432/app", "a password in a URL"),
        ];
        for (value, what) in cases {
            assert_eq!(format_of(value), Some(what), "{value}");
        }
    }

    #[test]
    fn references_and_near_misses_are_not_credentials() {
        for value in [
            "AKIAIOSFODNN7EXAMPL",
            "akiaiosfodnn7example",
            "postgres://app:$(DB_PASSWORD)@db/app",
            "postgres://app:${DB_PASSWORD}@db/app",
            "https://example.com/path",
            "Bearer $(TOKEN)",
            "ghp_short",
        ] {
            assert_eq!(format_of(value), None, "{value}");
        }
        for value in [
            "/etc/secret/key",
            "$(VAR)",
            "${VAR}",
            "true",
            "3600",
            "",
            "****",
        ] {
            assert_eq!(judge(Some("DB_PASSWORD"), value), None, "{value}");
        }
        assert!(judge(Some("DB_PASSWORD"), "hunter2").is_some());
        assert_eq!(judge(Some("DB_PASSWORD_FILE"), "secret.txt"), None);
        assert_eq!(judge(Some("TOKEN_URL"), "https://auth.example.com"), None);
        assert_eq!(judge(Some("LOG_LEVEL"), "debug"), None);
    }

    #[test]
    fn assignments_and_config_lines() {
        let a = assignments(&[
            "--db-password=hunter2",
            "--token",
            "abc",
            "--token-file",
            "/t",
        ]);
        assert_eq!(a.len(), 2);
        let l = config_lines("spring.datasource.password=hunter2\n\"api_key\": \"abc\",\nname: x");
        assert_eq!(l.len(), 3);
        assert!(secret_like("spring.datasource.password"));
    }
}
