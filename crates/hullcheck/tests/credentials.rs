//! Secrets: ORC-013 keeps the CIS 5.4.1 meaning (Secrets passed as environment variables are the
//! findings), ORC-026 and IMG-003 find literal credentials by value as well as by name, and no
//! message repeats the value it found.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests may

use hullcheck::report::Report;
use hullcheck::{Engine, NamedDocument, Options};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

fn run(control: &str, name: &str, text: &str) -> Report {
    let docs = [NamedDocument {
        name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }];
    let options = Options {
        controls: vec![control.into()],
        now: Some("2026-06-01T00:00:00Z".into()),
        ..Options::default()
    };
    engine().evaluate_documents(&docs, &options).unwrap()
}

fn failures(r: &Report) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.status.as_str() == "fail")
        .map(|f| f.message.to_string())
        .collect()
}

fn pod(container: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: team\nspec:\n  containers:\n  - name: app\n    image: app:1\n{container}")
}

fn env(name: &str, value: &str) -> String {
    pod(&format!(
        "    env:\n    - name: {name}\n      value: {}\n",
        serde_json::to_string(value).unwrap()
    ))
}

#[test]
fn orc_013_reports_each_secret_passed_as_an_environment_variable() {
    let text = pod("    env:\n    - name: A\n      valueFrom:\n        secretKeyRef: {name: s, key: k}\n    - name: B\n      valueFrom:\n        configMapKeyRef: {name: c, key: k}\n    envFrom:\n    - secretRef: {name: all}\n    - configMapRef: {name: cfg}\n");
    let f = failures(&run("ORC-013", "p.yaml", &text));
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(
        f[0].contains("variable `A` from Secret `s` key `k`"),
        "{f:?}"
    );
    assert!(f[1].contains("every key of Secret `all`"), "{f:?}");
    // A literal credential is not ORC-013's finding any more.
    assert!(failures(&run("ORC-013", "p.yaml", &env("DB_PASSWORD", "hunter2"))).is_empty());
}

#[test]
fn orc_026_finds_credentials_by_their_format_whatever_the_name() {
    let cases = [
        ("AKIAIOSFODNN7EXAMPLE", "an AWS access key ID"),
        ("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----", "a PEM private key"),
        ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "a JSON Web Token"),
        ("Bearer 8f14e45fceea167a5a36dedd4bea2543", "a bearer token"),
        ("github_pat_11ABCDEFG0123456789abc_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW", "a GitHub token"),
        ("gho_0123456789abcdefghijABCDEFGHIJ012345", "a GitHub token"),
        ("glpat-Abcdefghij0123456789", "a GitLab token"),
        ("xoxp-1234567890-1234567890-1234567890-abcdef", "a Slack token"),
        ("https://hooks.slack.com/services/T0000/B0000/abcdefghijklmnopqrstuvwx", "a Slack webhook URL"),
        ("amqp://guest:guest@rabbit:5672/", "a password in a URL"),
    ];
    for (value, what) in cases {
        let f = failures(&run("ORC-026", "p.yaml", &env("SETTING", value)));
        assert_eq!(f.len(), 1, "{value}: {f:?}");
        assert!(f[0].contains(what), "{value}: {f:?}");
        assert!(
            !f[0].contains(value),
            "the message repeats the value: {f:?}"
        );
    }
}

#[test]
fn orc_026_judges_names_but_not_references_paths_or_pointers() {
    assert_eq!(
        failures(&run("ORC-026", "p.yaml", &env("DB_PASSWORD", "hunter2"))).len(),
        1
    );
    assert_eq!(
        failures(&run("ORC-026", "p.yaml", &env("client-secret", "x1y2z3"))).len(),
        1
    );
    for (name, value) in [
        ("DB_PASSWORD", "/etc/secret/key"),
        ("DB_PASSWORD", "$(DB_PASSWORD_FROM_SECRET)"),
        ("DB_PASSWORD", "${DB_PASSWORD}"),
        ("DB_PASSWORD", ""),
        ("DB_PASSWORD_FILE", "db-password.txt"),
        ("TOKEN_URL", "https://auth.example.com/token"),
        ("REQUIRE_PASSWORD", "true"),
        ("TOKEN_TTL", "3600"),
        ("SECRET_NAME", "db-credentials"),
        ("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db/app"),
        ("DATABASE_URL", "postgres://db.shop:5432/app"),
        ("LOG_LEVEL", "debug"),
    ] {
        let f = failures(&run("ORC-026", "p.yaml", &env(name, value)));
        assert!(f.is_empty(), "{name}={value}: {f:?}");
    }
}

#[test]
fn orc_026_reads_command_args_and_config_maps() {
    let args = pod("    command: [\"/bin/sh\", \"-c\"]\n    args:\n    - \"export API_TOKEN=abc123 && exec app\"\n    - --password\n    - hunter2\n    - --token-file\n    - /run/token\n    - --db=postgres://u:pw@db/app\n");
    let f = failures(&run("ORC-026", "p.yaml", &args));
    assert_eq!(f.len(), 3, "{f:?}");
    assert!(f.iter().any(|m| m.contains("`API_TOKEN`")), "{f:?}");
    assert!(f.iter().any(|m| m.contains("passes `--password`")), "{f:?}");
    assert!(f.iter().any(|m| m.contains("a password in a URL")), "{f:?}");

    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: team}\ndata:\n  api_key: k-123\n  config.json: |\n    {\n      \"password\": \"hunter2\",\n      \"user\": \"app\"\n    }\n  app.env: |\n    TOKEN_PATH=/run/token\n    SECRET=${FROM_ENV}\n  plain: hello\n";
    let f = failures(&run("ORC-026", "cm.yaml", cm));
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f[0].starts_with("ConfigMap key `api_key`"), "{f:?}");
    assert!(f[1].contains("`config.json` sets `password`"), "{f:?}");
    // A ConfigMap alone is assessed; nothing at all is not.
    let none = run(
        "ORC-026",
        "x.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}\n",
    );
    assert!(none
        .findings
        .iter()
        .all(|f| f.status.as_str() == "not_assessed"));
}

#[test]
fn img_003_judges_dockerfiles_by_value_and_name() {
    let dockerfile = "FROM scratch\nARG GITHUB_TOKEN\nARG NPM_TOKEN=$CI_NPM_TOKEN\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nENV CONFIG_PATH=/etc/app SESSION_SECRET=s3cr3t\nLABEL maintainer=team\nRUN curl -H \"Authorization: Bearer 0123456789abcdef0123\" https://example.com\nRUN --mount=type=secret,id=npm npm ci\n";
    let f = failures(&run("IMG-003", "Dockerfile", dockerfile));
    assert_eq!(f.len(), 3, "{f:?}");
    assert!(f[0].contains("an AWS access key ID"), "{f:?}");
    assert!(f[1].contains("`SESSION_SECRET`"), "{f:?}");
    assert!(
        f[2].starts_with("RUN holds what looks like a bearer token"),
        "{f:?}"
    );
}
