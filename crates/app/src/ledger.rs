//! `mamori import ledger`, `mamori export ledger` and `mamori assets`.

use crate::output::{say, say_err};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use domain::Clock;
use domain::facility::FacilityRef;
use store::Store;
use text::{Lang, args};

use crate::cli::Format;
use crate::commands::cli_actor;
use crate::config::Config;
use crate::failure::{self, Failure};

/// The facility a person named with `--facility` (id or short name).
pub async fn scope_of(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    facility: &str,
) -> Result<store::FacilityScope> {
    let r = FacilityRef::parse(facility)
        .map_err(|e| Failure(service::messages::domain_error(lang, &e)))?;
    store
        .scope(&r)
        .await
        .map_err(failure::store(lang, &cfg.database_url))
}

/// A ledger file read from the disk, before the database is opened.
pub struct Read {
    pub file: String,
    pub bytes: std::sync::Arc<[u8]>,
}

/// A file given on the command line, refused before reading when it is over `limit` bytes.
pub fn read_capped(lang: Lang, path: &Path, file: &str, limit: usize) -> Result<Vec<u8>> {
    ingest::budget::read_path(path, limit).map_err(|e| {
        Failure(match e {
            ingest::budget::ReadCapped::Io(e) => lang.tr(
                "error-file-read",
                args![file = file, detail = e.to_string()],
            ),
            ingest::budget::ReadCapped::Over(e) => service::messages::over_budget(lang, &e, file),
        })
        .into()
    })
}

/// A ledger or scan file given on the command line, within an upload's size.
fn read_upload(lang: Lang, path: &Path, file: &str) -> Result<Vec<u8>> {
    read_capped(lang, path, file, ingest::budget::Budget::DEFAULT.file_bytes)
}

/// Reads the file (its rows are checked while they are imported).
pub fn read(lang: Lang, path: &Path) -> Result<Read> {
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    let bytes = read_upload(lang, path, &file)?;
    Ok(Read {
        file,
        bytes: bytes.into(),
    })
}

fn report_problems(lang: Lang, problems: &[ingest::ledger::Problem]) -> anyhow::Error {
    for p in problems {
        say_err!("{}", service::messages::ledger_problem(lang, p));
    }
    Failure(lang.tr("import-failed", args![count = problems.len()])).into()
}

pub async fn import(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    read: Read,
    dry_run: bool,
) -> Result<ExitCode> {
    use service::ledger_file::ImportFailure;
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let Read { file, bytes } = read;
    let imported = match service::ledger_file::import(
        store,
        &scope,
        &cli_actor(),
        clock.now(),
        &file,
        bytes,
        dry_run,
        (),
    )
    .await
    {
        Ok(i) => i,
        Err(ImportFailure::File(p)) => {
            return Err(Failure(service::messages::file_problem(lang, &p, &file)).into());
        }
        Err(ImportFailure::Rows(problems)) => return Err(report_problems(lang, &problems)),
        Err(ImportFailure::Store(e)) => return Err(fail(e)),
    };
    let (ledger, summary) = (&imported.ledger, &imported.summary);
    for sheet in &ledger.skipped_sheets {
        say!("{}", lang.tr("import-skipped-sheet", args![sheet = sheet]));
    }
    for (sheet, column) in &ledger.unknown_columns {
        say!(
            "{}",
            lang.tr(
                "import-unknown-column",
                args![sheet = sheet, column = column]
            )
        );
    }
    let shown = service::ledger_file::Shown::of(lang, summary);
    for name in &shown.added {
        say!("{}", lang.tr("import-add", args![name = name]));
    }
    for (name, fields) in &shown.changed {
        say!(
            "{}",
            lang.tr("import-change", args![name = name, fields = fields])
        );
    }
    if let Some(more) = &shown.more {
        say!("{more}");
    }
    say!(
        "{}",
        lang.tr(
            "import-summary",
            args![
                added = summary.added(),
                changed = summary.changed(),
                unchanged = summary.unchanged(),
                left = summary.left_alone
            ]
        )
    );
    for line in service::ledger_file::extra_lines(lang, ledger, summary) {
        say!("{line}");
    }
    say!(
        "{}",
        lang.t(if dry_run {
            "import-dry-run"
        } else {
            "import-done"
        })
    );
    if !dry_run {
        evaluate(lang, store, &scope, facility, clock, None)
            .await
            .map_err(&fail)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn export(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    facility: &str,
    path: &Path,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let points = store.connection_points(&scope).await.map_err(&fail)?;
    let vendors = store.vendors(&scope).await.map_err(&fail)?;
    let shown = path.display().to_string();
    let bytes = report::ledger::xlsx(
        &report::ledger::Contents {
            assets: &assets,
            points: &points,
            vendors: &vendors,
        },
        &|id| lang.t(id),
    )
    .map_err(|e| {
        Failure(lang.tr(
            "error-file-write",
            args![file = &shown, detail = e.to_string()],
        ))
    })?;
    std::fs::write(path, bytes).map_err(|e| {
        Failure(lang.tr(
            "error-file-write",
            args![file = &shown, detail = e.to_string()],
        ))
    })?;
    say!(
        "{}",
        lang.tr("export-done", args![count = assets.len(), file = &shown])
    );
    Ok(ExitCode::SUCCESS)
}

pub async fn list(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    facility: &str,
    format: Format,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = assets
                .iter()
                .map(|a| {
                    let mut v = store::device_json(&a.details);
                    if let Some(o) = v.as_object_mut() {
                        o.insert("id".into(), a.id.0.into());
                    }
                    v
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
        Format::Table => {
            let header: Vec<String> = [
                "col-id",
                "col-name-asset",
                "col-kind-asset",
                "col-location",
                "col-product",
                "col-version",
                "col-vendor",
            ]
            .iter()
            .map(|id| lang.t(id))
            .collect();
            let rows: Vec<Vec<String>> = assets
                .iter()
                .map(|a| {
                    let d = &a.details;
                    let join = |x: &Option<String>, y: &Option<String>| {
                        [x.as_deref(), y.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    vec![
                        a.id.0.to_string(),
                        d.name.clone(),
                        lang.t(&format!("asset-kind-{}", d.kind.code())),
                        d.location.clone().unwrap_or_default(),
                        join(&d.maker, &d.model),
                        join(&d.os_name, &d.os_version),
                        d.vendor.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            print!("{}", crate::output::table(&header, &rows));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `mamori connections`: every way in from outside with its gaps.
pub async fn connections(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    format: Format,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let points = store.connection_points(&scope).await.map_err(&fail)?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let today = domain::Date::in_japan(clock.now());
    let rows: Vec<(&domain::ConnectionPoint, Vec<domain::connection::Gap>)> =
        service::connections::ways_in(&points, &assets, today)
            .into_iter()
            .map(|w| (w.point, w.gaps))
            .collect();
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|(p, gaps)| {
                    let d = &p.details;
                    serde_json::json!({
                        "id": p.id.0,
                        "name": d.name,
                        "kind": d.kind.code(),
                        "asset": d.asset.map(|a| a.0),
                        "vendor": d.vendor,
                        "availability": d.availability.code(),
                        "authentication": d.authentication.code(),
                        "source_restriction": d.source_restriction.code(),
                        "sources": d.sources,
                        "reachable_segments": d.reachable_segments,
                        "credentials_changed_on": d.credentials_changed_on.map(|x| x.to_string()),
                        "last_used_on": d.last_used_on.map(|x| x.to_string()),
                        "gaps": gaps.iter().map(|g| g.code()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&items)?);
        }
        Format::Table => {
            let header: Vec<String> = [
                "col-id",
                "field-connection-name",
                "field-connection-kind",
                "conn-gaps",
            ]
            .iter()
            .map(|id| lang.t(id))
            .collect();
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|(p, gaps)| {
                    vec![
                        p.id.0.to_string(),
                        p.details.name.clone(),
                        lang.t(&format!("conn-kind-{}", p.details.kind.code())),
                        gaps.iter()
                            .map(|g| lang.t(&format!("gap-{}", g.code())))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ]
                })
                .collect();
            print!("{}", crate::output::table(&header, &table));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads an nmap XML file before the database is opened.
/// `mamori import software`: the programs installed on one device, replacing its list; then
/// the facility is evaluated again.
pub async fn import_software(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    (facility, device): (&str, &str),
    read: Read,
    dry_run: bool,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let asset = crate::products::device_named(lang, &assets, facility, device)?;
    let Read { file, bytes } = read;
    let imported = match service::software::import(
        store,
        &scope,
        &cli_actor(),
        clock.now(),
        asset,
        (&bytes, &file),
        dry_run,
    )
    .await
    {
        Ok(i) => i,
        Err(service::software::ImportError::Read(p)) => {
            return Err(Failure(service::messages::software_problem(lang, &p, &file)).into());
        }
        Err(service::software::ImportError::Store(e)) => return Err(fail(e)),
    };
    let args = args![
        device = asset.details.name.as_str(),
        count = imported.list.items.len(),
        unnamed = imported.list.unnamed
    ];
    if dry_run {
        say!("{}", lang.tr("software-dry-run", args));
    } else {
        say!("{}", lang.tr("software-imported", args));
        service::vulns::reevaluate_settled(store, &scope, &cli_actor(), clock.now(), None, 3)
            .await
            .map_err(&fail)?;
    }
    if !imported.remote_tools.is_empty() {
        say!(
            "{}",
            lang.tr(
                "software-remote-tools",
                args![tools = imported.remote_tools.join(", ")]
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn read_nmap(lang: Lang, path: &Path) -> Result<ingest::nmap::Scan> {
    let file = path.display().to_string();
    let bytes = read_upload(lang, path, &file)?;
    ingest::nmap::parse(&bytes)
        .map_err(|p| Failure(service::messages::nmap_problem(lang, &p, &file)).into())
}

/// `mamori import nmap`: compares the scan with the ledger and keeps the findings for review.
pub async fn import_nmap(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    path: &Path,
    scan: ingest::nmap::Scan,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let findings = domain::scan::review(&assets, &scan.hosts, &scan.scanned);
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().to_string(),
    );
    store
        .record_scan(&scope, &cli_actor(), &findings, &source, clock.now())
        .await
        .map_err(&fail)?;
    let name = |id: domain::AssetId| {
        assets
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.0.to_string(), |a| a.details.name.clone())
    };
    for f in &findings {
        say!("{}", service::messages::finding(lang, f, &name));
    }
    say!(
        "{}",
        lang.tr(
            "scan-summary",
            args![hosts = scan.hosts.len(), findings = findings.len()]
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// A feed file read and checked before the database is opened.
pub enum Feed {
    Kev {
        file: String,
        catalog: domain::kev::KevCatalog,
    },
    Nvd {
        file: String,
        records: Vec<(String, String)>,
    },
    Jvn {
        file: String,
        entries: Vec<domain::jvn::JvnEntry>,
    },
    Cpe {
        file: String,
        dictionary: ingest::cpe::Dictionary,
    },
}

pub fn read_feed(lang: Lang, path: &Path) -> Result<Feed> {
    let file = path.display().to_string();
    let bytes = read_capped(lang, path, &file, ingest::budget::Budget::FEED.file_bytes)?;
    // The CPE dictionary is read as a stream: unpacked whole it is larger than any feed.
    if ingest::cpe::is_dictionary(&bytes) {
        return match ingest::cpe::parse(&bytes) {
            Ok(dictionary) => Ok(Feed::Cpe { file, dictionary }),
            Err(p) => Err(Failure(service::messages::cpe_problem(lang, &p, &file)).into()),
        };
    }
    let bytes = ingest::unpack::unpack(bytes)
        .map_err(|p| Failure(service::messages::unpack_problem(lang, &p, &file)))?;
    match ingest::kev::parse(&bytes) {
        Ok(catalog) => return Ok(Feed::Kev { file, catalog }),
        Err(ingest::kev::KevProblem::NotKev) => {}
        Err(p) => return Err(Failure(service::messages::kev_problem(lang, &p, &file)).into()),
    }
    match ingest::jvn::parse(&bytes) {
        Ok(entries) => return Ok(Feed::Jvn { file, entries }),
        Err(ingest::jvn::JvnProblem::NotJvn) => {}
        Err(p) => return Err(Failure(service::messages::jvn_problem(lang, &p, &file)).into()),
    }
    match ingest::nvd::records(&bytes) {
        Ok(list) => Ok(Feed::Nvd {
            file,
            records: list.into_iter().map(|(c, raw)| (c.id, raw)).collect(),
        }),
        Err(ingest::nvd::NvdProblem::NotNvd) => {
            Err(Failure(lang.tr("error-not-feed", args![file = &file])).into())
        }
        Err(p) => Err(Failure(service::messages::nvd_problem(lang, &p, &file)).into()),
    }
}

/// `mamori feeds import`: each file in its own transaction, in the order given.
pub async fn import_feeds(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    feeds: Vec<Feed>,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let short = |f: &str| {
        Path::new(f)
            .file_name()
            .map_or_else(|| f.to_string(), |n| n.to_string_lossy().to_string())
    };
    for feed in feeds {
        let (file, catalog) = match feed {
            Feed::Nvd { file, records } => {
                let name = short(&file);
                let r = store
                    .import_nvd(&cli_actor(), &records, &name, clock.now())
                    .await
                    .map_err(&fail)?;
                say_records(lang, &name, &r, "nvd");
                continue;
            }
            Feed::Jvn { file, entries } => {
                let name = short(&file);
                let r = store
                    .import_jvn(&cli_actor(), &entries, &name, clock.now())
                    .await
                    .map_err(&fail)?;
                say_records(lang, &name, &r, "jvn");
                continue;
            }
            Feed::Cpe { file, dictionary } => {
                let name = short(&file);
                let products: Vec<store::CpeProduct> = dictionary
                    .products
                    .into_iter()
                    .map(|((v, p), product)| (v, p, product.part, product.title))
                    .collect();
                let (n, before) = store
                    .import_cpe_dictionary(
                        &cli_actor(),
                        &products,
                        &name,
                        &dictionary.version,
                        clock.now(),
                    )
                    .await
                    .map_err(&fail)?;
                say!(
                    "{}",
                    lang.tr(
                        "feed-cpe-done",
                        args![
                            file = &name,
                            version = &dictionary.version,
                            names = dictionary.names,
                            products = n,
                            before = before
                        ]
                    )
                );
                continue;
            }
            Feed::Kev { file, catalog } => (file, catalog),
        };
        let name = short(&file);
        let r = store
            .import_kev(&cli_actor(), &catalog, &name, clock.now())
            .await
            .map_err(&fail)?;
        if !r.applied {
            say!(
                "{}",
                lang.tr(
                    "feed-older",
                    args![
                        file = &name,
                        version = &r.version,
                        stored = r.stored_version.unwrap_or_default()
                    ]
                )
            );
            continue;
        }
        say!(
            "{}",
            lang.tr(
                "feed-kev-done",
                args![
                    file = &name,
                    version = &r.version,
                    added = r.diff.added.len(),
                    changed = r.diff.changed.len(),
                    unchanged = r.diff.unchanged
                ]
            )
        );
        if !r.diff.now_ransomware.is_empty() {
            let shown: Vec<&str> = r
                .diff
                .now_ransomware
                .iter()
                .take(20)
                .map(String::as_str)
                .collect();
            let more = r.diff.now_ransomware.len().saturating_sub(shown.len());
            say!(
                "{}",
                lang.tr(
                    "feed-kev-ransomware",
                    args![
                        count = r.diff.now_ransomware.len(),
                        list = shown.join(", "),
                        more = more
                    ]
                )
            );
        }
    }
    // The feeds are the same for every facility: parsed once, shared through the cache.
    let cache = service::vulns::FeedCache::default();
    for f in store.facilities().await.map_err(&fail)? {
        let scope = store.scope(&FacilityRef::Id(f.id)).await.map_err(&fail)?;
        evaluate(lang, store, &scope, &f.name, clock, Some(&cache))
            .await
            .map_err(&fail)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// What an NVD or JVN import did (`feed-<feed>-done`, `feed-<feed>-older`).
fn say_records(lang: Lang, name: &str, r: &store::NvdImport, feed: &str) {
    say!(
        "{}",
        lang.tr(
            &format!("feed-{feed}-done"),
            args![
                file = name,
                added = r.added,
                changed = r.changed,
                unchanged = r.unchanged
            ]
        )
    );
    if r.older > 0 {
        say!(
            "{}",
            lang.tr(&format!("feed-{feed}-older"), args![count = r.older])
        );
    }
}

/// Re-evaluates one facility's findings and says what changed.
pub async fn evaluate(
    lang: Lang,
    store: &Store,
    scope: &store::FacilityScope,
    name: &str,
    clock: &dyn Clock,
    cache: Option<&service::vulns::FeedCache>,
) -> std::result::Result<(), store::Error> {
    let e = service::vulns::reevaluate_settled(store, scope, &cli_actor(), clock.now(), cache, 3)
        .await?;
    say!(
        "{}",
        lang.tr(
            "findings-evaluated",
            args![
                facility = name,
                opened = e.opened + e.reopened,
                closed = e.closed
            ]
        )
    );
    Ok(())
}

/// `mamori vulns`: the facility's vulnerability findings (standing ones most urgent first,
/// then the fixed ones), evaluated again first when the feeds changed since the last run.
pub async fn vulns(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    format: Format,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let now = clock.now();
    let view = service::vulns::view(store, &scope, &assets, now, None)
        .await
        .map_err(&fail)?;
    let today = domain::Date::in_japan(now);
    let name = |id: domain::AssetId| {
        assets
            .iter()
            .find(|a| a.id == id)
            .map_or_else(String::new, |a| a.details.name.clone())
    };
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = view
                .findings
                .iter()
                .map(|f| {
                    let k = view.kev.get(&f.cve);
                    serde_json::json!({
                        "id": f.id.0,
                        "asset": f.asset.0,
                        "asset_name": name(f.asset),
                        "cve": f.cve,
                        "kind": f.kind.code(),
                        "outcome": f.facts.outcome.code(),
                        "status": f.status(today).code(),
                        "cvss": f.facts.cvss,
                        "internet_facing": f.facts.edge,
                        "kev": f.facts.kev,
                        "kev_date_added": k.map(|k| k.date_added.to_string()),
                        "kev_due_date": k.and_then(|k| k.due_date).map(|d| d.to_string()),
                        "ransomware": f.facts.ransomware,
                        "required_action": k.map(|k| k.required_action.clone()),
                        "opened_at": f.opened_at.to_string(),
                        "closed_at": f.closed_at.map(|t| t.to_string()),
                        "accepted": f.acceptance.as_ref().map(|a| serde_json::json!({
                            "reason": a.reason, "by": a.by, "until": a.until.to_string()
                        })),
                    })
                })
                .collect();
            let (checked, total) = view.checked_count();
            let devices: Vec<serde_json::Value> = view
                .checks
                .iter()
                .filter_map(|(id, check)| {
                    let a = assets.iter().find(|a| a.id == *id)?;
                    let findings: Vec<&str> = view
                        .standing(today)
                        .filter(|f| f.asset == *id)
                        .map(|f| f.cve.as_str())
                        .collect();
                    let mut o = serde_json::json!({
                        "id": id.0,
                        "name": a.details.name,
                        "kind": a.details.kind.code(),
                        "may_face_outside": domain::identify::may_face_outside(&a.details),
                        "end_of_support": domain::support::of(&a.details).map(|e| serde_json::json!({
                            "date": e.ends.to_string(),
                            "past": e.ends < today,
                            "source": match e.source {
                                domain::support::Source::Ledger => "ledger".to_string(),
                                domain::support::Source::Table { source, .. } => source,
                            },
                        })),
                    });
                    match check {
                        domain::identify::Check::Checked { product, how } => {
                            o["state"] = if findings.is_empty() {
                                "checked-none-found".into()
                            } else {
                                "checked-with-findings".into()
                            };
                            o["product"] = product.as_str().into();
                            o["identified_by"] = how.code().into();
                            o["findings"] = findings.into();
                        }
                        domain::identify::Check::NotChecked { reason, candidates } => {
                            o["state"] = "not-checked".into();
                            o["reason"] = reason.code().into();
                            o["reason_text"] =
                                service::messages::check_reason(lang, *reason).into();
                            o["todo"] =
                                service::messages::check_todo(lang, *reason, &a.details).into();
                            o["candidates"] = candidates.clone().into();
                        }
                    }
                    Some(o)
                })
                .collect();
            let out = serde_json::json!({
                "checked": checked,
                "devices_total": total,
                "records": view.cve_count,
                "devices": devices,
                "findings": items,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Table => {
            let header: Vec<String> = [
                "col-name-asset",
                "vuln-cve",
                "finding-status",
                "vuln-edge",
                "vuln-kev",
                "vuln-ransomware",
                "vuln-cvss",
            ]
            .iter()
            .map(|id| lang.t(id))
            .collect();
            let yes_no = |b: bool| lang.t(if b { "yes" } else { "no" });
            let table: Vec<Vec<String>> = view
                .findings
                .iter()
                .map(|f| {
                    let k = view.kev.get(&f.cve);
                    let what = match f.kind {
                        domain::finding::Kind::Vulnerability => f.cve.clone(),
                        domain::finding::Kind::Credentials => {
                            format!("{}({})", f.cve, lang.t("finding-kind-credentials"))
                        }
                    };
                    vec![
                        name(f.asset),
                        what,
                        lang.t(&format!("finding-status-{}", f.status(today).code())),
                        yes_no(f.facts.edge),
                        k.map_or_else(String::new, |k| text::day(lang, k.date_added)),
                        yes_no(f.facts.ransomware),
                        f.facts.cvss.map_or_else(String::new, |s| format!("{s:.1}")),
                    ]
                })
                .collect();
            if view.cve_count == 0 {
                say!("{}", lang.t("vuln-no-feed"));
            } else if table.is_empty() {
                say!("{}", lang.tr("vuln-none", args![cves = view.cve_count]));
            } else {
                print!("{}", crate::output::table(&header, &table));
            }
            if view.cve_count > 0 {
                let (checked, total) = view.checked_count();
                say!(
                    "{}",
                    if checked == total {
                        lang.tr("check-coverage-all", args![total = total])
                    } else {
                        lang.tr(
                            "check-coverage",
                            args![
                                total = total,
                                checked = checked,
                                unchecked = total - checked
                            ],
                        )
                    }
                );
            }
            let unchecked: Vec<Vec<String>> = view
                .not_checked()
                .filter_map(|(id, reason, candidates)| {
                    let a = assets.iter().find(|a| a.id == id)?;
                    let mut todo = service::messages::check_todo(lang, reason, &a.details);
                    if !candidates.is_empty() {
                        todo = format!(
                            "{todo}({}: {})",
                            lang.t("check-candidates"),
                            candidates.join(", ")
                        );
                    }
                    Some(vec![
                        a.details.name.clone(),
                        service::messages::check_reason(lang, reason),
                        todo,
                    ])
                })
                .collect();
            let past = service::vulns::past_support(&assets, today);
            if !past.is_empty() {
                say!("{}", lang.t("eos-title"));
                for (a, e) in past {
                    say!(
                        "  - {}: {}",
                        a.details.name,
                        service::messages::support_ended(lang, &e)
                    );
                }
            }
            if !unchecked.is_empty() {
                say!("{}", lang.t("check-title"));
                let header: Vec<String> = ["col-name-asset", "check-reason", "check-todo"]
                    .iter()
                    .map(|id| lang.t(id))
                    .collect();
                print!("{}", crate::output::table(&header, &unchecked));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--since`: a date as clinics write it, not in the future; a month ago when not given.
pub fn since(lang: Lang, given: Option<&str>, clock: &dyn Clock) -> Result<domain::Date> {
    let today = domain::Date::in_japan(clock.now());
    match given.map(str::trim) {
        None | Some("") => Ok(today.month_before()),
        Some(text) => match domain::Date::parse(text) {
            Ok(d) if d > today => Err(Failure(lang.t("error-since-future")).into()),
            Ok(d) => Ok(d),
            Err(_) => Err(Failure(lang.tr("error-since-invalid", args![value = text])).into()),
        },
    }
}

/// Which checklist `mamori checklist` shows: a version by key or by fiscal year (else this
/// year's), and a workbook to write.
pub struct ChecklistAsk<'a> {
    pub version: Option<&'a str>,
    pub fiscal_year: Option<i32>,
    pub out: Option<&'a std::path::Path>,
}

impl<'a> ChecklistAsk<'a> {
    pub fn of(sheet: &'a crate::cli::SheetArgs, out: Option<&'a std::path::Path>) -> Self {
        ChecklistAsk {
            version: sheet.version.as_deref(),
            fiscal_year: sheet.fiscal_year,
            out,
        }
    }
}

/// `mamori checklist`: the MHLW checklist answered from the records (see
/// `service::checklist`), as a table or JSON, or written as .xlsx.
pub async fn checklist(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    ask: ChecklistAsk<'_>,
    format: Format,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let now = clock.now();
    let today = domain::Date::in_japan(now);
    let known = service::checklist::versions(store).await.map_err(&fail)?;
    let by_year = ask.fiscal_year.and_then(|y| {
        known
            .iter()
            .find(|(v, _)| v.fiscal_year == y)
            .map(|(v, _)| v.key.clone())
    });
    let version = match (ask.fiscal_year, &by_year) {
        (Some(y), None) => {
            return Err(
                Failure(lang.tr("error-checklist-year", args![year = i64::from(y)])).into(),
            );
        }
        (_, Some(k)) => Some(k.as_str()),
        (None, None) => ask.version,
    };
    let Some(chosen) = service::checklist::version(store, version, today)
        .await
        .map_err(&fail)?
    else {
        let known: Vec<String> = known.into_iter().map(|(v, _)| v.key).collect();
        return Err(Failure(lang.tr(
            "error-checklist-version",
            args![key = version.unwrap_or_default(), known = known.join(", ")],
        ))
        .into());
    };
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let sheet = service::checklist::evaluate(
        store,
        &scope,
        &assets,
        chosen,
        None,
        (now, cfg.unused_days),
        None,
    )
    .await
    .map_err(&fail)?;
    if let Some(out) = ask.out {
        let name = store
            .facility(&domain::facility::FacilityRef::Id(scope.facility()))
            .await
            .map_err(&fail)?
            .name;
        let pdf = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        let bytes = if pdf {
            sheet
                .pdf(lang, &name, true)
                .map_err(|e| crate::failure::print(lang, e))?
                .pdf
        } else {
            sheet.xlsx(lang, &name).map_err(Failure)?
        };
        crate::failure::write_file(lang, out, bytes)?;
        say!(
            "{}",
            lang.tr("checklist-written", args![path = out.display().to_string()])
        );
        return Ok(ExitCode::SUCCESS);
    }
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&sheet.to_json())?),
        Format::Table => {
            say!("{}", sheet.title(lang));
            say!("{}", sheet.counts_words(lang));
            for l in &sheet.lines {
                say!();
                let number = if l.item.gate { "—" } else { &l.item.number };
                say!("■ {number} {}", service::checklist::wording(lang, &l.item));
                if let Some(u) = service::checklist::unconfirmed(lang, &l.item) {
                    say!("  ({u})");
                }
                if let Some(a) = &l.answer {
                    say!(
                        "  {}: {} ({} {})",
                        lang.t("checklist-recorded"),
                        lang.t(&format!("checklist-given-{}", a.recorded.given.code())),
                        lang.t("field-checklist-checked-on"),
                        text::day(lang, a.recorded.checked_on)
                    );
                }
                say!(
                    "  → {}: {}",
                    service::checklist::answer(lang, &l.proposal.answer),
                    service::checklist::reason(lang, &l.proposal)
                );
                for e in &l.proposal.evidence {
                    say!(
                        "    - {}: {}",
                        e.name,
                        service::checklist::evidence(lang, e)
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `mamori checklist versions` and `mamori checklist import-version FILE [--yes]`.
pub async fn checklist_versions(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    action: &crate::cli::ChecklistCommand,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    match action {
        crate::cli::ChecklistCommand::Print {
            facility,
            sheet,
            out,
        } => {
            let mut out = out.clone();
            if !out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                out.set_extension("pdf");
            }
            let asked = ChecklistAsk::of(sheet, Some(&out));
            return checklist(lang, cfg, store, clock, facility, asked, Format::Table).await;
        }
        crate::cli::ChecklistCommand::Evaluate {
            facility,
            sheet,
            format,
        } => {
            let asked = ChecklistAsk::of(sheet, None);
            return checklist(lang, cfg, store, clock, facility, asked, format.format).await;
        }
        crate::cli::ChecklistCommand::Versions => {
            let header = [
                "checklist-version",
                "checklist-title-col",
                "checklist-fiscal-year",
                "checklist-origin",
                "checklist-unconfirmed-count",
            ]
            .map(|id| lang.t(id));
            // The facility's sheets, then the vendors' (事業者確認用), each oldest first.
            let known = service::checklist::catalogue(store).await.map_err(&fail)?;
            let rows: Vec<Vec<String>> = known
                .facility
                .into_iter()
                .chain(known.vendor)
                .map(|(v, imported)| {
                    vec![
                        v.key.clone(),
                        match lang {
                            Lang::Ja => v.title_ja.clone(),
                            Lang::En => v.title_en.clone(),
                        },
                        v.fiscal_year.to_string(),
                        lang.t(if imported {
                            "checklist-origin-imported"
                        } else {
                            "checklist-origin-shipped"
                        }),
                        v.items
                            .iter()
                            .filter(|i| i.wording != domain::checklist::Wording::Confirmed)
                            .count()
                            .to_string(),
                    ]
                })
                .collect();
            print!("{}", crate::output::table(&header, &rows));
            for (key, problem) in known.unreadable {
                say!(
                    "{}",
                    lang.tr(
                        "checklist-version-unreadable",
                        args![key = key.as_str(), detail = problem.as_str()]
                    )
                );
            }
        }
        crate::cli::ChecklistCommand::Compare {
            facility,
            from,
            to,
            format,
        } => {
            let to = to.unwrap_or_else(|| {
                domain::checklist::fiscal_year(domain::Date::in_japan(clock.now()))
            });
            let from = from.unwrap_or(to - 1);
            let scope = scope_of(lang, cfg, store, facility).await?;
            let compared = service::checklist::year_over_year(store, &scope, from, to)
                .await
                .map_err(&fail)?
                .map_err(|y| {
                    Failure(lang.tr("error-checklist-year", args![year = i64::from(y)]))
                })?;
            match format.format {
                Format::Json => println!("{}", serde_json::to_string_pretty(&compared.to_json())?),
                Format::Table if !compared.answered_then() => {
                    say!(
                        "{}",
                        lang.tr("checklist-compare-none", args![year = i64::from(from)])
                    );
                }
                Format::Table => {
                    let count = |m: domain::checklist::Movement| {
                        compared.changes.iter().filter(|c| c.movement == m).count()
                    };
                    use domain::checklist::Movement as M;
                    say!(
                        "{}",
                        lang.tr(
                            "checklist-compare-heading",
                            args![
                                then = i64::from(from),
                                now = i64::from(to),
                                improved = count(M::Improved),
                                worsened = count(M::Worsened),
                                new = count(M::NewItem)
                            ]
                        )
                    );
                    let header = [
                        "checklist-number",
                        "checklist-item",
                        "checklist-compare-then",
                        "checklist-compare-now",
                        "checklist-compare-movement",
                    ]
                    .map(|id| lang.t(id));
                    let rows: Vec<Vec<String>> = compared
                        .changes
                        .iter()
                        .map(|c| {
                            vec![
                                c.number(),
                                c.ja.clone(),
                                service::checklist::given(lang, c.then),
                                service::checklist::given(lang, c.now),
                                service::checklist::movement(lang, c),
                            ]
                        })
                        .collect();
                    print!("{}", crate::output::table(&header, &rows));
                }
            }
        }
        crate::cli::ChecklistCommand::ImportVersion {
            file,
            yes,
            version,
            out,
        } => {
            let workbook = file.extension().is_some_and(|e| {
                ["xlsx", "xlsm", "xls", "ods", "csv"]
                    .iter()
                    .any(|w| e.eq_ignore_ascii_case(w))
            });
            // A version file is a few dozen KiB; anything far larger is not one.
            const MAX: u64 = 1024 * 1024;
            let text = if workbook {
                let name = file.display().to_string();
                let bytes = read_capped(lang, file, &name, ingest::table::MAX_BYTES)?;
                let made = service::checklist::version_from_workbook(
                    store,
                    (&bytes, &name),
                    version.as_deref(),
                    domain::Date::in_japan(clock.now()),
                )
                .await
                .map_err(&fail)?
                .map_err(|p| Failure(service::checklist::workbook_problem(lang, &p, &name)))?;
                say!(
                    "{}",
                    lang.tr(
                        "checklist-workbook-read",
                        args![
                            file = name.as_str(),
                            sheet = made.sheet.as_str(),
                            count = made.items
                        ]
                    )
                );
                if let Some(out) = out {
                    crate::failure::write_file(lang, out, &made.text)?;
                    say!(
                        "{}",
                        lang.tr(
                            "checklist-version-written",
                            args![path = out.display().to_string()]
                        )
                    );
                }
                made.text
            } else {
                read_version_file(lang, file, MAX)?
            };
            let done = service::checklist::import_version(
                store,
                &crate::commands::cli_actor(),
                &text,
                *yes,
                clock.now(),
            )
            .await
            .map_err(&fail)?
            .map_err(|p| {
                Failure(lang.tr(
                    "error-checklist-version-file",
                    args![file = file.display().to_string(), detail = p.0],
                ))
            })?;
            say!("{} ({})", done.version.title_ja, done.version.key);
            match &done.changes {
                None => say!("{}", lang.t("checklist-import-new")),
                Some(c) if c.is_empty() => say!("{}", lang.t("checklist-import-same")),
                Some(c) => {
                    for change in c {
                        say!("  - {}", service::checklist::change(lang, change));
                    }
                }
            }
            say!(
                "{}",
                lang.t(if done.applied {
                    "checklist-import-applied"
                } else {
                    "checklist-import-dry"
                })
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads a version file (TOML) of at most `max` bytes.
fn read_version_file(lang: Lang, file: &std::path::Path, max: u64) -> Result<String> {
    if std::fs::metadata(file).is_ok_and(|m| m.len() > max) {
        return Err(Failure(lang.tr(
            "error-checklist-version-file",
            args![
                file = file.display().to_string(),
                detail = format!("larger than {max} bytes")
            ],
        ))
        .into());
    }
    std::fs::read_to_string(file).map_err(|e| {
        Failure(lang.tr(
            "error-file-read",
            args![file = file.display().to_string(), detail = e.to_string()],
        ))
        .into()
    })
}

/// What `mamori review` was asked: changes from `since`; `keep`: keep it signed off by this
/// reviewer, with this note.
pub struct ReviewAsk<'a> {
    pub since: domain::Date,
    pub keep: Option<(&'a str, &'a str)>,
}

/// `mamori review`: the monthly review (see `service::review`), as text to print or JSON.
pub async fn review(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    ask: ReviewAsk<'_>,
    format: Format,
) -> Result<ExitCode> {
    let ReviewAsk { since, keep } = ask;
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let r = service::review::build(store, &scope, &assets, since, clock.now(), None)
        .await
        .map_err(&fail)?;
    let kept = match keep {
        Some(signed) => {
            let next = service::review::next_number(store, &scope)
                .await
                .map_err(&fail)?;
            Some(
                service::review::keep(
                    store,
                    &scope,
                    &crate::commands::cli_actor(),
                    &r,
                    signed,
                    next,
                    clock.now(),
                )
                .await
                .map_err(&fail)?
                .map_err(|e| Failure(service::messages::domain_error(lang, &e)))?,
            )
        }
        None => None,
    };
    match format {
        Format::Json => {
            let mut out = r.to_json();
            if let (Some(n), Some(o)) = (kept, out.as_object_mut()) {
                o.insert("kept_as".into(), n.into());
            }
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Table => {
            // The same words as the page and a kept review.
            let doc = r.document(lang);
            say!("{}", lang.t("review-title"));
            say!("{}", doc.lead);
            if doc.no_feed {
                say!("{}", lang.t("review-no-feed"));
            }
            for s in &doc.sections {
                say!();
                say!("■ {}({})", s.title, s.lines.len());
                for l in &s.lines {
                    say!("  - {} — {}", l.name, l.detail);
                }
            }
        }
    }
    if let (Some(n), Format::Table) = (kept, format) {
        say!();
        say!("{}", lang.tr("review-kept-cli", args![number = n]));
    }
    Ok(ExitCode::SUCCESS)
}
