//! Configuration: built-in defaults, then a TOML file, then `MAMORI_*` environment variables,
//! then command-line flags; the later wins. Unknown keys in the file are errors, so a typo
//! never silently falls back to a default.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use store::DatabaseUrl;
use text::{Lang, args};

use crate::failure::Failure;

/// The settings a command runs with. `Debug` shows the database URL without its password.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub bind: SocketAddr,
    pub audit_key_file: PathBuf,
    pub log: String,
    /// Certificate chain and private key (PEM) for HTTPS; both or neither.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// How Japanese pages and printouts write years (西暦 or 和暦).
    pub calendar: text::Calendar,
    /// Where uploaded evidence files are kept.
    pub evidence_dir: PathBuf,
    /// Days without a sign-in after which an account of a facility's system counts as unused.
    pub unused_days: i64,
}

/// What a command uses when nothing is configured: `serve` and the other commands share
/// `mamori.db`; `demo` keeps its own files so that it never mixes with real data.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub database_url: &'static str,
    pub audit_key_file: &'static str,
}

pub const SERVE: Defaults = Defaults {
    database_url: "sqlite://mamori.db",
    audit_key_file: "mamori.key",
};

pub const DEMO: Defaults = Defaults {
    database_url: "sqlite://mamori-demo.db",
    audit_key_file: "mamori-demo.key",
};

const DEFAULT_BIND: &str = "127.0.0.1:8080";
const DEFAULT_FILE: &str = "mamori.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: i64,
    database_url: Option<String>,
    bind: Option<String>,
    audit_key_file: Option<PathBuf>,
    log: Option<String>,
    tls_cert_file: Option<PathBuf>,
    tls_key_file: Option<PathBuf>,
    calendar: Option<String>,
    evidence_dir: Option<PathBuf>,
    unused_days: Option<i64>,
}

/// Values given on the command line (clap has already folded in `MAMORI_DATABASE_URL`,
/// `MAMORI_CONFIG` and `MAMORI_BIND`).
#[derive(Debug, Default)]
pub struct Overrides<'a> {
    pub config: Option<&'a Path>,
    pub database_url: Option<&'a str>,
    pub bind: Option<&'a str>,
    pub tls_cert: Option<&'a Path>,
    pub tls_key: Option<&'a Path>,
}

pub fn load(
    lang: Lang,
    defaults: Defaults,
    given: &Overrides<'_>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Config, Failure> {
    let file = match given.config {
        Some(path) => Some(read(lang, path)?),
        None if Path::new(DEFAULT_FILE).exists() => Some(read(lang, Path::new(DEFAULT_FILE))?),
        None => None,
    };
    let file = file.as_ref();
    let url_text = given
        .database_url
        .map(str::to_string)
        .or_else(|| file.and_then(|f| f.database_url.clone()))
        .unwrap_or_else(|| defaults.database_url.to_string());
    let database_url = DatabaseUrl::parse(&url_text)
        .map_err(|e| Failure(service::messages::store_error(lang, &e, &url_text)))?;
    let bind_text = given
        .bind
        .map(str::to_string)
        .or_else(|| file.and_then(|f| f.bind.clone()))
        .unwrap_or_else(|| DEFAULT_BIND.to_string());
    let bind = bind_text.trim().parse::<SocketAddr>().map_err(|e| {
        Failure(lang.tr(
            "error-bind",
            args![bind = &bind_text, detail = e.to_string()],
        ))
    })?;
    // Unless set, the key sits beside a SQLite file with the same name (`mamori-demo.db` →
    // `mamori-demo.key`), so that naming the database is enough to check it.
    let audit_key_file = env("MAMORI_AUDIT_KEY_FILE")
        .map(PathBuf::from)
        .or_else(|| file.and_then(|f| f.audit_key_file.clone()))
        .or_else(|| database_url.sqlite_path().map(|p| p.with_extension("key")))
        .unwrap_or_else(|| PathBuf::from(defaults.audit_key_file));
    let log = env("MAMORI_LOG")
        .or_else(|| file.and_then(|f| f.log.clone()))
        .unwrap_or_else(|| "info".to_string());
    let pick = |flag: Option<&Path>, var: &str, from_file: Option<&PathBuf>| {
        flag.map(Path::to_path_buf)
            .or_else(|| env(var).map(PathBuf::from))
            .or_else(|| from_file.cloned())
    };
    let cert = pick(
        given.tls_cert,
        "MAMORI_TLS_CERT_FILE",
        file.and_then(|f| f.tls_cert_file.as_ref()),
    );
    let key = pick(
        given.tls_key,
        "MAMORI_TLS_KEY_FILE",
        file.and_then(|f| f.tls_key_file.as_ref()),
    );
    let tls = match (cert, key) {
        (Some(c), Some(k)) => Some((c, k)),
        (None, None) => None,
        _ => return Err(Failure(lang.t("error-tls-pair"))),
    };
    let calendar_text = env("MAMORI_CALENDAR").or_else(|| file.and_then(|f| f.calendar.clone()));
    let calendar = match calendar_text {
        None => text::Calendar::default(),
        Some(t) => text::Calendar::parse(&t)
            .ok_or_else(|| Failure(lang.tr("error-calendar", args![value = t.as_str()])))?,
    };
    // Unless set, beside a SQLite file (`mamori.db` → `mamori-evidence/`).
    let evidence_dir = env("MAMORI_EVIDENCE_DIR")
        .map(PathBuf::from)
        .or_else(|| file.and_then(|f| f.evidence_dir.clone()))
        .or_else(|| {
            database_url.sqlite_path().map(|p| {
                let stem = p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "mamori".into());
                p.with_file_name(format!("{stem}-evidence"))
            })
        })
        // With PostgreSQL and nothing set: beside where Mamori was started, as an absolute
        // path (a service started from `/` would otherwise write there unnoticed).
        .unwrap_or_else(|| {
            std::env::current_dir()
                .unwrap_or_default()
                .join("mamori-evidence")
        });
    let unused_days = match env("MAMORI_UNUSED_DAYS") {
        Some(t) => t.trim().parse::<i64>().ok(),
        None => Some(
            file.and_then(|f| f.unused_days)
                .unwrap_or(domain::accounts::UNUSED_DAYS),
        ),
    }
    .filter(|d| (1..=3650).contains(d))
    .ok_or_else(|| Failure(lang.t("error-unused-days")))?;
    Ok(Config {
        database_url,
        bind,
        audit_key_file,
        log,
        tls,
        calendar,
        evidence_dir,
        unused_days,
    })
}

fn read(lang: Lang, path: &Path) -> Result<File, Failure> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure(lang.tr(
            "error-config-read",
            args![path = &shown, detail = e.to_string()],
        ))
    })?;
    let file: File = toml::from_str(&text).map_err(|e| {
        Failure(lang.tr(
            "error-config-parse",
            args![path = &shown, detail = e.to_string()],
        ))
    })?;
    if file.version != 1 {
        return Err(Failure(lang.tr(
            "error-config-version",
            args![path = &shown, found = file.version],
        )));
    }
    Ok(file)
}

/// The commented template `mamori config example` prints. A test parses it.
pub const EXAMPLE: &str = r#"# Mamori の設定ファイル / Mamori configuration file
# 置き場所: ./mamori.toml、または --config FILE / MAMORI_CONFIG で指定。
# 優先順位: コマンドラインの指定 > 環境変数 (MAMORI_*) > このファイル > 既定値。
# 相対パスは mamori を起動したフォルダからの位置です。

# 設定ファイルの形式の版。いまは 1 だけです。 (required)
version = 1

# データベース。既定は同じフォルダの SQLite ファイル。
# 地域の多施設運用では PostgreSQL: "postgres://mamori:パスワード@db.example.local/mamori"
# 環境変数: MAMORI_DATABASE_URL (パスワードは表示・ログに出しません)
database_url = "sqlite://mamori.db"

# Web画面の待ち受けアドレス。院内のほかの端末から開くなら "0.0.0.0:8080"。
# 環境変数: MAMORI_BIND
bind = "127.0.0.1:8080"

# 監査ログの改ざん検知に使う鍵ファイル。データベースとは別の場所に置き、別にバックアップしてください。
# 最初の起動で作られます。なくすと、それまでの監査ログを検証できません。
# 指定しなければ SQLite ファイルと同じ名前の .key (mamori.db なら mamori.key) です。
# 環境変数: MAMORI_AUDIT_KEY_FILE
audit_key_file = "mamori.key"

# ログの詳しさ: error, warn, info, debug (tracing の書式 "mamori=debug,sqlx=warn" も可)。
# 環境変数: MAMORI_LOG
log = "info"

# HTTPS で待ち受けるときの証明書と秘密鍵 (PEM)。院内の認証局か自己署名の証明書を使います。
# 両方を指定してください。指定するとサインインの Cookie に Secure が付きます。
# 環境変数: MAMORI_TLS_CERT_FILE, MAMORI_TLS_KEY_FILE
# tls_cert_file = "/etc/mamori/server.crt"
# tls_key_file = "/etc/mamori/server.key"

# 証拠として取り込んだファイル(辞令、MDS/SDS など)を置くフォルダ。施設ごとに分かれます。
# 指定しなければ SQLite ファイルと同じ場所の「名前-evidence」(mamori.db なら mamori-evidence)。
# 環境変数: MAMORI_EVIDENCE_DIR
# evidence_dir = "/var/lib/mamori/evidence"

# 日付の書き方: "seireki" (2026年12月4日、既定) または "wareki" (令和8年12月4日)。
# 画面・印刷・コマンドの日本語の表示に使います (英語の表示はいつも 2026-12-04)。
# 環境変数: MAMORI_CALENDAR
# calendar = "wareki"

# 院内のシステムのアカウントを「使われていない」とみなす日数 (最終ログオンからの日数、既定 90)。
# 環境変数: MAMORI_UNUSED_DAYS
# unused_days = 90

# 表示言語は環境変数 MAMORI_LANG=ja|en (なければ LANG) で選びます。
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn write(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn the_calendar_comes_from_the_file_or_the_environment() {
        let f = write("version = 1\ncalendar = \"wareki\"\n");
        let given = Overrides {
            config: Some(f.path()),
            ..Overrides::default()
        };
        let c = load(Lang::Ja, SERVE, &given, no_env).unwrap();
        assert_eq!(c.calendar, text::Calendar::Japanese);
        let env = |k: &str| (k == "MAMORI_CALENDAR").then(|| "seireki".to_string());
        assert_eq!(
            load(Lang::Ja, SERVE, &given, env).unwrap().calendar,
            text::Calendar::Western
        );
        let bad = |k: &str| (k == "MAMORI_CALENDAR").then(|| "koki".to_string());
        let e = load(Lang::Ja, SERVE, &given, bad).unwrap_err();
        assert!(e.0.contains("koki") && e.0.contains("wareki"), "{}", e.0);
        let none = load(Lang::Ja, SERVE, &Overrides::default(), no_env).unwrap();
        assert_eq!(none.calendar, text::Calendar::Western);
    }

    #[test]
    fn unused_days_come_from_the_file_or_the_environment_within_bounds() {
        let f = write("version = 1\nunused_days = 180\n");
        let given = Overrides {
            config: Some(f.path()),
            ..Overrides::default()
        };
        assert_eq!(
            load(Lang::Ja, SERVE, &given, no_env).unwrap().unused_days,
            180
        );
        let env = |k: &str| (k == "MAMORI_UNUSED_DAYS").then(|| "60".to_string());
        assert_eq!(load(Lang::Ja, SERVE, &given, env).unwrap().unused_days, 60);
        for bad in ["0", "abc", "99999"] {
            let env = |k: &str| (k == "MAMORI_UNUSED_DAYS").then(|| bad.to_string());
            let e = load(Lang::Ja, SERVE, &given, env).unwrap_err();
            assert!(e.0.contains("MAMORI_UNUSED_DAYS"), "{bad}: {}", e.0);
        }
        let none = load(Lang::Ja, SERVE, &Overrides::default(), no_env).unwrap();
        assert_eq!(none.unused_days, 90);
    }

    #[test]
    fn example_parses_and_gives_the_defaults() {
        let f = write(EXAMPLE);
        let given = Overrides {
            config: Some(f.path()),
            ..Default::default()
        };
        let c = load(Lang::Ja, SERVE, &given, no_env).unwrap();
        assert_eq!(c.database_url, DatabaseUrl::sqlite("mamori.db"));
        assert_eq!(c.bind.to_string(), DEFAULT_BIND);
        assert_eq!(c.audit_key_file, PathBuf::from("mamori.key"));
    }

    #[test]
    fn unknown_key_is_named() {
        let f = write("version = 1\ndatabse_url = \"sqlite://x.db\"\n");
        let given = Overrides {
            config: Some(f.path()),
            ..Default::default()
        };
        let e = load(Lang::En, SERVE, &given, no_env).unwrap_err();
        assert!(e.0.contains("databse_url"), "{}", e.0);
        assert!(e.0.contains(&f.path().display().to_string()), "{}", e.0);
    }

    #[test]
    fn version_is_required_and_checked() {
        for text in ["bind = \"127.0.0.1:1\"\n", "version = 2\n"] {
            let f = write(text);
            let given = Overrides {
                config: Some(f.path()),
                ..Default::default()
            };
            assert!(load(Lang::Ja, SERVE, &given, no_env).is_err(), "{text}");
        }
    }

    #[test]
    fn later_sources_win() {
        let f = write(
            "version = 1\ndatabase_url = \"sqlite://file.db\"\naudit_key_file = \"file.key\"\nlog = \"warn\"\n",
        );
        let env = |k: &str| match k {
            "MAMORI_AUDIT_KEY_FILE" => Some("env.key".to_string()),
            _ => None,
        };
        let given = Overrides {
            config: Some(f.path()),
            database_url: Some("sqlite://flag.db"),
            bind: Some("127.0.0.1:9999"),
            ..Default::default()
        };
        let c = load(Lang::Ja, SERVE, &given, env).unwrap();
        assert_eq!(c.database_url, DatabaseUrl::sqlite("flag.db"));
        assert_eq!(c.audit_key_file, PathBuf::from("env.key"));
        assert_eq!(c.bind.port(), 9999);
        assert_eq!(c.log, "warn");
    }

    #[test]
    fn bad_values_are_explained() {
        let given = Overrides {
            database_url: Some("mysql://x"),
            ..Default::default()
        };
        let e = load(Lang::Ja, SERVE, &given, no_env).unwrap_err();
        assert!(
            e.0.contains("mysql://x") && e.0.contains("sqlite://"),
            "{}",
            e.0
        );
        let given = Overrides {
            bind: Some("localhost"),
            ..Default::default()
        };
        assert!(
            load(Lang::Ja, SERVE, &given, no_env)
                .unwrap_err()
                .0
                .contains("localhost")
        );
    }

    #[test]
    fn debug_hides_the_password() {
        let given = Overrides {
            database_url: Some("postgres://m:hunter2@db/m"),
            ..Default::default()
        };
        let c = load(Lang::Ja, SERVE, &given, no_env).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}

#[cfg(test)]
mod tls_tests {
    use super::*;

    #[test]
    fn tls_needs_both_files() {
        let given = Overrides {
            tls_cert: Some(Path::new("c.pem")),
            ..Default::default()
        };
        let e = load(Lang::Ja, SERVE, &given, |_| None).unwrap_err();
        assert!(e.0.contains("tls_key_file"), "{}", e.0);
        let env = |k: &str| (k == "MAMORI_TLS_KEY_FILE").then(|| "k.pem".to_string());
        let c = load(Lang::Ja, SERVE, &given, env).unwrap();
        assert_eq!(
            c.tls,
            Some((PathBuf::from("c.pem"), PathBuf::from("k.pem")))
        );
    }
}

#[cfg(test)]
mod key_tests {
    use super::*;

    #[test]
    fn the_key_follows_a_sqlite_file() {
        let given = Overrides {
            database_url: Some("sqlite:///var/lib/mamori/clinic.db"),
            ..Default::default()
        };
        let c = load(Lang::Ja, SERVE, &given, |_| None).unwrap();
        assert_eq!(
            c.audit_key_file,
            PathBuf::from("/var/lib/mamori/clinic.key")
        );
        let c = load(Lang::Ja, DEMO, &Overrides::default(), |_| None).unwrap();
        assert_eq!(c.audit_key_file, PathBuf::from("mamori-demo.key"));
        let pg = Overrides {
            database_url: Some("postgres://db/m"),
            ..Default::default()
        };
        assert_eq!(
            load(Lang::Ja, SERVE, &pg, |_| None).unwrap().audit_key_file,
            PathBuf::from("mamori.key")
        );
    }
}
