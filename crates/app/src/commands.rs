//! One function per command. Each loads the configuration, opens the store the way the
//! command needs (read-only checks never write), and prints in the user's language.

use crate::output::say;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use domain::{
    Actor, Clock, Error as DomainError, FacilityKind, Field, NewFacility, Prefecture, Rule,
};
use store::{Access, Database, Store};
use text::{Lang, args};

use crate::cli::{
    AuditCommand, BackupCommand, BcpCommand, BindArgs, Cli, Command, ConfigCommand, ExportCommand,
    FacilityCommand, FeedsCommand, Format, ImportCommand, PlaybookCommand, ProductsCommand,
    UserCommand,
};
use crate::clock::SystemClock;
use crate::config::{self, Config, Defaults, Overrides};
use crate::failure::{self, Failure};
use crate::{accounts, backup, demo, incident, keys, ledger, output, products, users};

pub async fn run(cli: Cli, lang: Lang) -> Result<ExitCode> {
    let clock = SystemClock;
    let given = Overrides {
        config: cli.config.as_deref(),
        database_url: cli.database_url.as_deref(),
        ..Default::default()
    };
    match &cli.command {
        Command::Config(ConfigCommand::Example) => {
            print!("{}", config::EXAMPLE);
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(bind) => {
            let cfg = load(lang, config::SERVE, &given, Some(bind))?;
            init_logging(&cfg.log);
            let tls = tls_config(lang, &cfg).await?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            serve(lang, &cfg, tls, store, "serve-ready").await
        }
        Command::Demo(bind) => {
            let cfg = load(lang, config::DEMO, &given, Some(bind))?;
            init_logging(&cfg.log);
            let tls = tls_config(lang, &cfg).await?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            let seeded = demo::seed(&store, &clock, &keys::OsEntropy)
                .await
                .map_err(failure::store(lang, &cfg.database_url))?;
            if !seeded.created {
                say!("{}", lang.t("demo-reused"));
            }
            say!(
                "{}",
                lang.tr(
                    "demo-signin",
                    args![
                        email = demo::DIRECTOR_EMAIL,
                        password = demo::DIRECTOR_PASSWORD
                    ]
                )
            );
            say!(
                "{}",
                lang.tr(
                    "demo-totp",
                    args![secret = service::auth::base32(&seeded.totp_secret)]
                )
            );
            serve(lang, &cfg, tls, store, "demo-ready").await
        }
        Command::Migrate { check } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            if *check {
                migrate_check(lang, &cfg).await
            } else {
                migrate(lang, &cfg, &clock).await
            }
        }
        Command::Facility(FacilityCommand::Add {
            short,
            name,
            kind,
            beds,
            prefecture,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let new = new_facility(short, name, kind, beds.as_deref(), prefecture.as_deref())
                .map_err(|e| Failure(service::messages::domain_error(lang, &e)))?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            let f = store
                .add_facility(&cli_actor(), new, clock.now())
                .await
                .map_err(failure::store(lang, &cfg.database_url))?;
            say!(
                "{}",
                lang.tr(
                    "facility-added",
                    args![
                        name = &f.name,
                        short = f.short_name.to_string(),
                        id = f.id.0
                    ]
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Facility(FacilityCommand::List(fmt)) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_reading(lang, &cfg).await?;
            facility_list(lang, &cfg, &store, fmt.format).await
        }
        Command::User(UserCommand::Add {
            facility,
            role,
            email,
            name,
            vendor,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_writing(lang, &cfg, &clock).await?;
            let req = users::AddUser {
                facility,
                role,
                email,
                name: name.as_deref(),
                vendor: vendor.as_deref(),
            };
            users::add(lang, &cfg, &store, &clock, req).await
        }
        Command::User(UserCommand::List(fmt)) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_reading(lang, &cfg).await?;
            users::list(lang, &cfg, &store, fmt.format).await
        }
        Command::Import(ImportCommand::Ledger {
            facility,
            file,
            dry_run,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let read = ledger::read(lang, file)?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            ledger::import(lang, &cfg, &store, &clock, facility, read, *dry_run).await
        }
        Command::Import(ImportCommand::Software {
            facility,
            device,
            file,
            dry_run,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let read = ledger::read(lang, file)?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            ledger::import_software(
                lang,
                &cfg,
                &store,
                &clock,
                (facility, device),
                read,
                *dry_run,
            )
            .await
        }
        Command::Import(ImportCommand::Roster {
            facility,
            file,
            dry_run,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let read = ledger::read(lang, file)?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            accounts::import_roster(lang, &cfg, &store, &clock, facility, read, *dry_run).await
        }
        Command::Import(ImportCommand::Accounts {
            facility,
            system,
            format,
            files,
            dry_run,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let read = files
                .iter()
                .map(|f| ledger::read(lang, f))
                .collect::<Result<Vec<_>>>()?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            let req = accounts::AccountsRequest {
                facility,
                system,
                format: format.forced(),
                dry_run: *dry_run,
            };
            accounts::import_accounts(lang, &cfg, &store, &clock, req, read).await
        }
        Command::Accounts { facility, format } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            // A JSON export holds staff names: it is written to the audit chain.
            let store = open_for_writing(lang, &cfg, &clock).await?;
            accounts::list(lang, &cfg, &store, &clock, facility, format.format).await
        }
        Command::Import(ImportCommand::Nmap { facility, file }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let scan = ledger::read_nmap(lang, file)?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            ledger::import_nmap(lang, &cfg, &store, &clock, facility, file, scan).await
        }
        Command::Feeds(FeedsCommand::Import { files }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let read = files
                .iter()
                .map(|f| ledger::read_feed(lang, f))
                .collect::<Result<Vec<_>>>()?;
            let store = open_for_writing(lang, &cfg, &clock).await?;
            ledger::import_feeds(lang, &cfg, &store, &clock, read).await
        }
        Command::Export(ExportCommand::Ledger { facility, file }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_reading(lang, &cfg).await?;
            ledger::export(lang, &cfg, &store, facility, file).await
        }
        Command::Vulns { facility, format } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            // Writes when the findings must be evaluated again (new feeds since the last run).
            let store = open_for_writing(lang, &cfg, &clock).await?;
            ledger::vulns(lang, &cfg, &store, &clock, facility, format.format).await
        }
        Command::Checklist {
            action: Some(action),
            ..
        } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_writing(lang, &cfg, &clock).await?;
            ledger::checklist_versions(lang, &cfg, &store, &clock, action).await
        }
        Command::Checklist {
            action: None,
            facility,
            sheet,
            out,
            format,
        } => {
            let Some(facility) = facility else {
                return Err(Failure(lang.t("error-checklist-facility")).into());
            };
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            // Writes when the findings must be evaluated again (new feeds since the last run).
            let store = open_for_writing(lang, &cfg, &clock).await?;
            let asked = ledger::ChecklistAsk::of(sheet, out.as_deref());
            ledger::checklist(lang, &cfg, &store, &clock, facility, asked, format.format).await
        }
        Command::Review {
            facility,
            since,
            keep,
            note,
            format,
        } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let since = ledger::since(lang, since.as_deref(), &clock)?;
            // Writes when the findings must be evaluated again (new feeds since the last run).
            let store = open_for_writing(lang, &cfg, &clock).await?;
            let keep = keep.as_deref().map(|r| (r, note.as_deref().unwrap_or("")));
            ledger::review(
                lang,
                &cfg,
                &store,
                &clock,
                facility,
                ledger::ReviewAsk { since, keep },
                format.format,
            )
            .await
        }
        Command::Connections { facility, format } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_reading(lang, &cfg).await?;
            ledger::connections(lang, &cfg, &store, &clock, facility, format.format).await
        }
        Command::Assets { facility, format } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_reading(lang, &cfg).await?;
            ledger::list(lang, &cfg, &store, facility, format.format).await
        }
        Command::Products(ProductsCommand::List { facility, format }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            // Writes when the findings must be evaluated again (new feeds since the last run).
            let store = open_for_writing(lang, &cfg, &clock).await?;
            products::list(lang, &cfg, &store, &clock, facility, format.format).await
        }
        Command::Products(ProductsCommand::Bind {
            facility,
            device,
            product,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_writing(lang, &cfg, &clock).await?;
            products::bind(lang, &cfg, &store, &clock, (facility, device), product).await
        }
        Command::Products(ProductsCommand::Unbind { facility, device }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_writing(lang, &cfg, &clock).await?;
            products::unbind(lang, &cfg, &store, &clock, (facility, device)).await
        }
        Command::Backup(BackupCommand::Log {
            file,
            facility,
            system,
            medium,
        }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_writing(lang, &cfg, &clock).await?;
            let scope = ledger::scope_of(lang, &cfg, &store, facility).await?;
            let system = backup::system_of(lang, &cfg, &store, &scope, system).await?;
            let log = backup::Log {
                file,
                system,
                medium: medium.as_deref(),
            };
            backup::record_log(lang, &store, &clock, &scope, log).await
        }
        Command::Backup(BackupCommand::Manifest { dir, out }) => {
            init_logging("warn");
            backup::manifest(lang, dir, out)
        }
        Command::Backup(BackupCommand::Verify {
            dir,
            manifest,
            facility,
            system,
            minutes,
        }) => {
            init_logging("warn");
            // The facility and the system are found before the hashing (which can take
            // hours), so a wrong name or setting is said at once.
            let keep_in = match facility {
                Some(facility) => {
                    let cfg = load(lang, config::SERVE, &given, None)?;
                    let store = open_for_writing(lang, &cfg, &clock).await?;
                    let scope = ledger::scope_of(lang, &cfg, &store, facility).await?;
                    let system = match system {
                        Some(name) => {
                            Some(backup::system_of(lang, &cfg, &store, &scope, name).await?)
                        }
                        None => None,
                    };
                    Some((cfg, store, scope, system))
                }
                None => None,
            };
            let started = clock.now();
            let (code, report) = backup::verify(lang, dir, manifest)?;
            if let Some((cfg, store, scope, system)) = keep_in {
                let number = backup::keep(lang, &cfg, &store, &clock, &scope, &report).await?;
                if let Some(system) = system {
                    // The time the check took stands for the restore's when none is given.
                    let millis = clock.now().unix_millis() - started.unix_millis();
                    let took = minutes.unwrap_or_else(|| {
                        u32::try_from(millis.max(0).div_euclid(60_000) + 1).unwrap_or(u32::MAX)
                    });
                    let drill = backup::Drill {
                        system,
                        dir,
                        clean: code == ExitCode::SUCCESS,
                        minutes: took,
                        evidence: number,
                    };
                    backup::record_drill(lang, &cfg, &store, &clock, &scope, drill).await?;
                }
            }
            Ok(code)
        }
        Command::Playbook(PlaybookCommand::Print { facility, out })
        | Command::Bcp(BcpCommand::Print { facility, out }) => {
            let paper = match &cli.command {
                Command::Bcp(_) => incident::Paper::Bcp,
                _ => incident::Paper::Drawer,
            };
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_reading(lang, &cfg).await?;
            incident::print(lang, &cfg, &store, &clock, (facility, out), paper).await
        }
        Command::Backups { facility, format } => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_reading(lang, &cfg).await?;
            backup::list(lang, &cfg, &store, &clock, facility, format.format).await
        }
        Command::Audit(AuditCommand::Verify { checkpoint }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let checkpoint = checkpoint
                .as_deref()
                .map(|path| read_checkpoint(lang, path))
                .transpose()?;
            let store = open_for_reading(lang, &cfg).await?;
            audit_verify(lang, &cfg, &store, checkpoint.as_ref()).await
        }
        Command::Audit(AuditCommand::Checkpoint { out }) => {
            let cfg = load(lang, config::SERVE, &given, None)?;
            init_logging("warn");
            let store = open_for_writing(lang, &cfg, &clock).await?;
            audit_checkpoint(lang, &cfg, &store, &clock, out.as_deref()).await
        }
    }
}

fn load(
    lang: Lang,
    defaults: Defaults,
    given: &Overrides<'_>,
    bind: Option<&BindArgs>,
) -> Result<Config> {
    let given = Overrides {
        bind: bind.and_then(|b| b.bind.as_deref()),
        tls_cert: bind.and_then(|b| b.tls_cert.as_deref()),
        tls_key: bind.and_then(|b| b.tls_key.as_deref()),
        ..*given
    };
    let cfg = config::load(lang, defaults, &given, |k| std::env::var(k).ok())?;
    // One date style for everything this process writes (pages, printouts, tables).
    text::set_calendar(cfg.calendar);
    Ok(cfg)
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The person at the terminal, by operating-system user name.
pub fn cli_actor() -> Actor {
    let from_env = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    Actor::Cli(
        from_env
            .or_else(user_from_proc)
            .unwrap_or_else(|| "unknown".into()),
    )
}

/// Services and `sudo -i` shells may have no `USER`: look the real uid up in /etc/passwd.
fn user_from_proc() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let uid = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .next()?
        .to_string();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    let name = passwd.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        (f.nth(1)? == uid).then(|| name.to_string())
    });
    Some(name.unwrap_or(format!("uid{uid}")))
}

/// Connects, applies pending migrations (refusing a newer or edited schema before any
/// change), loads or creates the audit key and opens the store.
pub async fn open_for_writing(lang: Lang, cfg: &Config, clock: &dyn Clock) -> Result<Store> {
    let fail = failure::store(lang, &cfg.database_url);
    let db = Database::connect(&cfg.database_url, Access::ReadWrite)
        .await
        .map_err(&fail)?;
    db.migrate(clock.now()).await.map_err(&fail)?;
    let fingerprint = db.audit_key_fingerprint().await.map_err(&fail)?;
    let key = keys::load_or_create(lang, &cfg.audit_key_file, fingerprint.as_deref())?;
    Store::open(db, key, clock.now()).await.map_err(&fail)
}

/// Opens the store without creating, migrating or writing anything.
pub async fn open_for_reading(lang: Lang, cfg: &Config) -> Result<Store> {
    let fail = failure::store(lang, &cfg.database_url);
    let db = Database::connect(&cfg.database_url, Access::ReadOnly)
        .await
        .map_err(&fail)?;
    db.require_migrated().await.map_err(&fail)?;
    let fingerprint = db.audit_key_fingerprint().await.map_err(&fail)?;
    let key = keys::load_for_check(lang, &cfg.audit_key_file, fingerprint.as_deref())?;
    Store::open_read_only(db, key).await.map_err(&fail)
}

/// Reads and checks the certificate and key before anything else happens, so that a bad
/// file changes nothing.
async fn tls_config(lang: Lang, cfg: &Config) -> Result<Option<web::TlsConfig>> {
    let Some((cert, key)) = &cfg.tls else {
        return Ok(None);
    };
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| {
            Failure(lang.tr(
                "error-tls-read",
                args![path = p.display().to_string(), detail = e.to_string()],
            ))
        })
    };
    let config = web::tls_config(read(cert)?, read(key)?)
        .await
        .map_err(|e| Failure(lang.tr("error-tls-config", args![detail = e.to_string()])))?;
    Ok(Some(config))
}

async fn serve(
    lang: Lang,
    cfg: &Config,
    tls: Option<web::TlsConfig>,
    store: Store,
    ready: &str,
) -> Result<ExitCode> {
    let prefix = domain::audit::to_hex(&keys::random_bytes::<4>());
    let options = web::Options {
        tls: cfg.tls.is_some(),
        op_prefix: prefix,
        evidence_dir: cfg.evidence_dir.clone(),
        unused_days: cfg.unused_days,
    };
    // Signed checkpoints of the audit chains: now, then every hour in which one grew.
    let signing = store.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = signing.checkpoint_if_changed(SystemClock.now()).await {
                tracing::error!("audit checkpoint not taken: {e}");
            }
        }
    });
    let state = web::AppState::new(
        store,
        Arc::new(SystemClock),
        Arc::new(keys::OsEntropy),
        options,
    );
    let bind_failure = |e: std::io::Error| {
        Failure(lang.tr(
            "error-bind",
            args![bind = cfg.bind.to_string(), detail = e.to_string()],
        ))
    };
    match tls {
        None => {
            let listener = tokio::net::TcpListener::bind(cfg.bind)
                .await
                .map_err(bind_failure)?;
            let addr = listener.local_addr()?;
            say!("{}", lang.tr(ready, args![url = format!("http://{addr}/")]));
            web::serve(listener, state, shutdown_signal()).await?;
        }
        Some(config) => {
            let listener = std::net::TcpListener::bind(cfg.bind).map_err(bind_failure)?;
            let addr = listener.local_addr()?;
            say!(
                "{}",
                lang.tr(ready, args![url = format!("https://{addr}/")])
            );
            web::serve_tls(listener, config, state, shutdown_signal()).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

async fn migrate(lang: Lang, cfg: &Config, clock: &dyn Clock) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let db = Database::connect(&cfg.database_url, Access::ReadWrite)
        .await
        .map_err(&fail)?;
    let before = db.migrate(clock.now()).await.map_err(&fail)?;
    for (version, name) in &before.pending {
        say!(
            "{}",
            lang.tr("migrate-applied", args![version = *version, name = *name])
        );
    }
    let after = db.migration_status().await.map_err(&fail)?;
    say!(
        "{}",
        lang.tr("migrate-none", args![version = after.current])
    );
    Ok(ExitCode::SUCCESS)
}

async fn migrate_check(lang: Lang, cfg: &Config) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let pending: Vec<(i64, &str)> =
        match Database::connect(&cfg.database_url, Access::ReadOnly).await {
            Err(store::Error::NoSuchFile { .. }) => {
                say!("{}", lang.t("migrate-check-new"));
                store::MIGRATIONS
                    .iter()
                    .map(|m| (m.version, m.name))
                    .collect()
            }
            Err(e) => return Err(fail(e)),
            Ok(db) => {
                let s = db.migration_status().await.map_err(&fail)?;
                if s.pending.is_empty() {
                    say!("{}", lang.tr("migrate-none", args![version = s.current]));
                }
                s.pending
            }
        };
    for (version, name) in &pending {
        say!(
            "{}",
            lang.tr(
                "migrate-would-apply",
                args![version = *version, name = *name]
            )
        );
    }
    Ok(if pending.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn new_facility(
    short: &str,
    name: &str,
    kind: &str,
    beds: Option<&str>,
    prefecture: Option<&str>,
) -> Result<NewFacility, DomainError> {
    let kind = FacilityKind::parse(kind)?;
    let beds = beds
        .map(|b| {
            b.trim()
                .parse::<u32>()
                .map_err(|_| DomainError::invalid(Field::Beds, b, Rule::NotANumber))
        })
        .transpose()?;
    let prefecture = prefecture.map(Prefecture::parse).transpose()?;
    NewFacility::new(short, name, kind, beds, prefecture)
}

async fn facility_list(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    format: Format,
) -> Result<ExitCode> {
    let summaries = store
        .facility_summaries()
        .await
        .map_err(failure::store(lang, &cfg.database_url))?;
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = summaries
                .iter()
                .map(|s| {
                    let f = &s.facility;
                    serde_json::json!({
                        "id": f.id.0,
                        "short_name": f.short_name.as_str(),
                        "name": f.name,
                        "kind": f.kind.code(),
                        "beds": f.beds.map(|b| b.get()),
                        "prefecture": f.prefecture.map(|p| p.code()),
                        "prefecture_name": f.prefecture.map(|p| p.name_ja()),
                        "region": f.region.map(|r| r.0),
                        "assets": s.assets,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
        Format::Table if summaries.is_empty() => say!("{}", lang.t("facility-none")),
        Format::Table => {
            let header: Vec<String> = [
                "col-id",
                "col-short-name",
                "col-name",
                "col-kind",
                "col-beds",
                "col-prefecture",
                "col-assets",
            ]
            .iter()
            .map(|id| lang.t(id))
            .collect();
            let rows: Vec<Vec<String>> = summaries
                .iter()
                .map(|s| {
                    let f = &s.facility;
                    vec![
                        f.id.0.to_string(),
                        f.short_name.to_string(),
                        f.name.clone(),
                        lang.t(&format!("facility-kind-{}", f.kind.code())),
                        f.beds
                            .map_or_else(|| lang.t("beds-none"), |b| b.get().to_string()),
                        f.prefecture.map_or_else(
                            || lang.t("beds-none"),
                            |p| {
                                if lang == Lang::Ja {
                                    p.name_ja().into()
                                } else {
                                    p.name_en().into()
                                }
                            },
                        ),
                        s.assets.to_string(),
                    ]
                })
                .collect();
            print!("{}", output::table(&header, &rows));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A checkpoint file written by `audit checkpoint --out` (small: refused past 16 MiB).
fn read_checkpoint(lang: Lang, path: &std::path::Path) -> Result<store::SignedCheckpoint> {
    let file = path.display().to_string();
    let bad = |detail: String| {
        Failure(lang.tr(
            "error-checkpoint-file",
            args![file = file.as_str(), detail = detail],
        ))
    };
    let bytes = crate::ledger::read_capped(lang, path, &file, 16 << 20)?;
    let text = String::from_utf8(bytes).map_err(|e| bad(e.to_string()))?;
    Ok(store::SignedCheckpoint::from_json(&text).ok_or_else(|| bad("format".into()))?)
}

async fn audit_verify(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    checkpoint: Option<&store::SignedCheckpoint>,
) -> Result<ExitCode> {
    let report = store
        .verify_audit(store::Chains::All, checkpoint)
        .await
        .map_err(failure::store(lang, &cfg.database_url))?;
    let (intact, line) = service::messages::audit_report(lang, &report);
    say!("{line}");
    if intact {
        return Ok(ExitCode::SUCCESS);
    }
    say!(
        "{}",
        lang.tr("audit-checked-before", args![count = report.checked])
    );
    Ok(ExitCode::from(1))
}

async fn audit_checkpoint(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    out: Option<&std::path::Path>,
) -> Result<ExitCode> {
    let signed = store
        .checkpoint(clock.now())
        .await
        .map_err(failure::store(lang, &cfg.database_url))?;
    let records: i64 = signed.checkpoint.heads.iter().map(|h| h.seq).sum();
    say!(
        "{}",
        lang.tr(
            "audit-checkpoint-kept",
            args![
                chains = signed.checkpoint.heads.len(),
                records = records,
                at = text::when(lang, signed.checkpoint.at)
            ]
        )
    );
    if let Some(path) = out {
        std::fs::write(path, signed.to_json() + "\n")?;
        say!(
            "{}",
            lang.tr(
                "audit-checkpoint-written",
                args![file = path.display().to_string()]
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}
