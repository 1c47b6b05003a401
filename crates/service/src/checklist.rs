//! The MHLW checklist answered from the facility's data (see `domain::checklist`): one service
//! for the page, the printout and `mamori checklist`. It gathers what the rules need (ledger,
//! ways in, findings, devices not checked, end of support, unregistered remote tools) and
//! words each proposal in the reader's language.

use domain::checklist::{self, Answer, Evidence, Facts, Item, Proposal, Subject, Version};
use domain::{Asset, AssetId, Date, Timestamp};
use serde_json::json;
use sha2::Digest;
use store::{FacilityScope, Round, Store, StoredAnswer};
use text::{Lang, args};

use crate::vulns::FeedCache;

/// One item with Mamori's proposal and the facility's answer (the newest given in the round)
/// with the earlier ones.
pub struct Line {
    pub item: Item,
    pub proposal: Proposal,
    pub answer: Option<StoredAnswer>,
    /// Earlier answers of the round, oldest first.
    pub history: Vec<StoredAnswer>,
}

/// The checklist of one version, proposed from the data and answered by the facility, in
/// one round.
pub struct Sheet {
    pub version: Version,
    pub today: Date,
    pub lines: Vec<Line>,
    /// The round shown (1 before any answer).
    pub round: i64,
    /// Every round of the version, the newest first (empty before any answer).
    pub rounds: Vec<Round>,
    /// The facility's evidence documents (all items, all rounds: a document stays valid for
    /// the dates it names).
    pub documents: Vec<store::Evidence>,
    /// The vendors of the facility (the ledger's and the vendor list's), by name: each is
    /// asked for the 事業者確認用 sheet.
    pub vendors: Vec<String>,
    /// Records linked by hand as evidence of items (all rounds, like the documents).
    pub links: Vec<LinkRow>,
    /// What can be linked: `(kind:id, name)` for each device, way in, open finding and kept
    /// review the reader may see.
    pub choices: LinkChoices,
    /// The vendor sheet (事業者確認用) of the same fiscal year, and each vendor's newest answer
    /// to its items as the facility recorded them.
    pub vendor_sheet: Option<Version>,
    pub vendor_answers: Vec<store::VendorAnswer>,
}

/// A record linked by hand, with the name it is shown by (a kept review: its number).
pub struct LinkRow {
    pub link: store::EvidenceLink,
    pub name: String,
}

/// The records a person may link as evidence, each as `(kind:id, name)`.
#[derive(Default)]
pub struct LinkChoices {
    pub devices: Vec<(String, String)>,
    pub ways_in: Vec<(String, String)>,
    pub findings: Vec<(String, String)>,
    /// (kind:id, number, day reviewed)
    pub reviews: Vec<(String, i64, Date)>,
}

pub use checklist::VENDOR_SHEET;

/// Every version Mamori knows, read once: the facility's sheets and the vendors' sheets
/// (those shipped, with an administrator's imports replacing a shipped one of the same key or
/// adding new ones; oldest fiscal year first; the flag says "imported"), and the imports that
/// no longer read (a later format, an edited row), by key with what is wrong: they are left
/// out and the shipped version of the key, if any, is used instead.
pub struct Catalogue {
    pub facility: Vec<(Version, bool)>,
    pub vendor: Vec<(Version, bool)>,
    pub unreadable: Vec<(String, String)>,
}

pub async fn catalogue(store: &Store) -> Result<Catalogue, store::Error> {
    let shipped = |vs: Vec<Version>| vs.into_iter().map(|v| (v, false)).collect::<Vec<_>>();
    let mut out = Catalogue {
        facility: shipped(checklist::versions()),
        vendor: shipped(checklist::vendor_versions()),
        unreadable: Vec::new(),
    };
    for (key, body) in store.imported_checklist_versions().await? {
        // A stored import was checked when it came in; one that no longer reads is named,
        // not allowed to break every page.
        let v = match checklist::parse(&body) {
            Ok(v) => v,
            Err(p) => {
                tracing::warn!(key, "an imported checklist version does not read");
                out.unreadable.push((key, p.0));
                continue;
            }
        };
        let all = match v.sheet {
            checklist::SheetKind::Facility => &mut out.facility,
            checklist::SheetKind::Vendor => &mut out.vendor,
        };
        all.retain(|(s, _)| s.key != v.key);
        all.push((v, true));
    }
    out.facility.sort_by_key(|(v, _)| v.fiscal_year);
    out.vendor.sort_by_key(|(v, _)| v.fiscal_year);
    Ok(out)
}

/// Every version of the facility's sheet (see [`Catalogue`]).
pub async fn versions(store: &Store) -> Result<Vec<(Version, bool)>, store::Error> {
    Ok(catalogue(store).await?.facility)
}

/// Every version of the vendor sheet (事業者確認用), shipped or imported, oldest first.
pub async fn vendor_versions(store: &Store) -> Result<Vec<(Version, bool)>, store::Error> {
    Ok(catalogue(store).await?.vendor)
}

/// The vendor sheet of a fiscal year, when there is one.
pub async fn vendor_version(
    store: &Store,
    fiscal_year: i32,
) -> Result<Option<Version>, store::Error> {
    Ok(vendor_versions(store)
        .await?
        .into_iter()
        .map(|(v, _)| v)
        .rfind(|v| v.fiscal_year == fiscal_year))
}

/// Imported versions that no longer read, by key with what is wrong (see [`Catalogue`]).
pub async fn unreadable_versions(store: &Store) -> Result<Vec<(String, String)>, store::Error> {
    Ok(catalogue(store).await?.unreadable)
}

/// The version `key` (or, when `None`, the one for today's fiscal year); `None` when no
/// version has that key.
pub async fn version(
    store: &Store,
    key: Option<&str>,
    today: Date,
) -> Result<Option<Version>, store::Error> {
    let all: Vec<Version> = versions(store).await?.into_iter().map(|(v, _)| v).collect();
    Ok(match key {
        Some(k) => all.into_iter().find(|v| v.key == k),
        None => checklist::version_for(&all, today).cloned(),
    })
}

/// What importing a version file would do, or did.
pub struct Import {
    pub version: Version,
    /// The differences from the version of the same key in use (none: a new key).
    pub changes: Option<Vec<checklist::Change>>,
    pub applied: bool,
}

/// Reads a version file and shows how it differs from the version of that key in use; kept
/// (and used from then on) only with `apply`.
pub async fn import_version(
    store: &Store,
    actor: &domain::Actor,
    text: &str,
    apply: bool,
    now: Timestamp,
) -> Result<Result<Import, checklist::VersionProblem>, store::Error> {
    let new = match checklist::parse(text) {
        Ok(v) => v,
        Err(p) => return Ok(Err(p)),
    };
    let known = catalogue(store).await?;
    let current = known
        .facility
        .into_iter()
        .chain(known.vendor)
        .find(|(v, _)| v.key == new.key)
        .map(|(v, _)| v);
    let changes = current.as_ref().map(|c| checklist::diff(c, &new));
    if apply {
        let sha256 = domain::audit::to_hex(&sha2::Sha256::digest(text.as_bytes()));
        store
            .import_checklist_version(actor, &new.key, text, &sha256, now)
            .await?;
    }
    Ok(Ok(Import {
        version: new,
        changes,
        applied: apply,
    }))
}

/// A version file made from the official MHLW workbook: its items matched to the version
/// `base` (the one in use for today's fiscal year when `None`) by their sentences, as
/// [`checklist::workbook::from_sheet`] does; then imported like any version file.
pub struct FromWorkbook {
    pub text: String,
    /// The items read, and the sheet they were read from.
    pub items: usize,
    pub sheet: String,
}

/// Why a workbook gives no version.
pub enum WorkbookProblem {
    Read(ingest::checklist_sheet::Problem),
    /// No version has the key asked for.
    NoBase(String),
    /// The workbook is of another fiscal year than the version it would replace.
    OtherYear {
        workbook: i32,
        version: String,
        year: i32,
    },
    Version(checklist::VersionProblem),
}

pub async fn version_from_workbook(
    store: &Store,
    (bytes, file_name): (&[u8], &str),
    base: Option<&str>,
    today: Date,
) -> Result<Result<FromWorkbook, WorkbookProblem>, store::Error> {
    let vendor_sheet = match base {
        Some(k) => vendor_versions(store)
            .await?
            .into_iter()
            .map(|(v, _)| v)
            .find(|v| v.key == k),
        None => None,
    };
    let Some(base) = (match vendor_sheet {
        Some(v) => Some(v),
        None => version(store, base, today).await?,
    }) else {
        return Ok(Err(WorkbookProblem::NoBase(
            base.unwrap_or_default().to_string(),
        )));
    };
    let vendor = base.sheet == checklist::SheetKind::Vendor;
    let read = match ingest::checklist_sheet::read(bytes, file_name, vendor) {
        Ok(r) => r,
        Err(p) => return Ok(Err(WorkbookProblem::Read(p))),
    };
    // The 令和7年度 workbook must not replace the 令和8年度 version's wording.
    if let Some(year) = read
        .title
        .as_deref()
        .and_then(ingest::checklist_sheet::fiscal_year_of)
        .filter(|y| *y != base.fiscal_year)
    {
        return Ok(Err(WorkbookProblem::OtherYear {
            workbook: year,
            version: base.key.clone(),
            year: base.fiscal_year,
        }));
    }
    let made = checklist::workbook::from_sheet(&base, read.title.as_deref(), &read.items)
        .and_then(|v| checklist::workbook::to_text(&v));
    Ok(match made {
        Ok(text) => Ok(FromWorkbook {
            text,
            items: read.items.len(),
            sheet: read
                .items
                .first()
                .map(|i| i.sheet.clone())
                .unwrap_or_default(),
        }),
        Err(p) => Err(WorkbookProblem::Version(p)),
    })
}

/// A workbook's problem in words, naming the file.
pub fn workbook_problem(lang: Lang, p: &WorkbookProblem, file: &str) -> String {
    match p {
        WorkbookProblem::Read(ingest::checklist_sheet::Problem::File(f)) => {
            crate::messages::file_problem(lang, f, file)
        }
        WorkbookProblem::Read(ingest::checklist_sheet::Problem::NoItems) => {
            lang.tr("checklist-workbook-no-items", args![file = file])
        }
        WorkbookProblem::Read(ingest::checklist_sheet::Problem::SameNumber {
            sheet,
            number,
            rows,
        }) => lang.tr(
            "checklist-workbook-same-number",
            args![
                file = file,
                sheet = sheet.as_str(),
                number = number.as_str(),
                first = rows.0,
                second = rows.1
            ],
        ),
        WorkbookProblem::NoBase(key) => {
            lang.tr("checklist-workbook-no-base", args![key = key.as_str()])
        }
        WorkbookProblem::OtherYear {
            workbook,
            version,
            year,
        } => lang.tr(
            "checklist-workbook-other-year",
            args![
                file = file,
                workbook = i64::from(*workbook),
                version = version.as_str(),
                year = i64::from(*year)
            ],
        ),
        WorkbookProblem::Version(v) => lang.tr(
            "error-checklist-version-file",
            args![file = file, detail = v.0.as_str()],
        ),
    }
}

/// A difference in words.
pub fn change(lang: Lang, c: &checklist::Change) -> String {
    use checklist::Change as C;
    match c {
        C::Added { number, topic } => lang.tr(
            "checklist-change-added",
            args![number = number.as_str(), topic = topic.as_str()],
        ),
        C::Removed { number, topic } => lang.tr(
            "checklist-change-removed",
            args![number = number.as_str(), topic = topic.as_str()],
        ),
        C::Renumbered { topic, from, to } => lang.tr(
            "checklist-change-renumbered",
            args![
                topic = topic.as_str(),
                from = from.as_str(),
                to = to.as_str()
            ],
        ),
        C::Reworded { number, wording } => lang.tr(
            "checklist-change-reworded",
            args![
                number = number.as_str(),
                wording = lang.t(&format!("checklist-sure-{}", wording.code()))
            ],
        ),
        C::Other { number } => lang.tr("checklist-change-other", args![number = number.as_str()]),
        C::Version => lang.t("checklist-change-version"),
        C::Confirmed { number, wording } => lang.tr(
            "checklist-change-confirmed",
            args![
                number = number.as_str(),
                wording = lang.t(&format!("checklist-sure-{}", wording.code()))
            ],
        ),
    }
}

/// Answers `version` from the facility's data as it stands at `now`, with the facility's
/// answers of `round` (the newest round when `None`); accounts without a sign-in for
/// `unused_days` count as unused.
pub async fn evaluate(
    store: &Store,
    scope: &FacilityScope,
    visible: &[Asset],
    version: Version,
    round: Option<i64>,
    (now, unused_days): (Timestamp, i64),
    cache: Option<&FeedCache>,
) -> Result<Sheet, store::Error> {
    let today = Date::in_japan(now);
    let rounds = store.checklist_rounds(scope, &version.key).await?;
    let round = round.unwrap_or_else(|| rounds.first().map_or(1, |r| r.number));
    // A signed-off round reads in the wording it was signed on, whatever was imported since.
    let version = rounds
        .iter()
        .find(|r| r.number == round)
        .and_then(|r| r.locked_version.as_deref())
        .and_then(|body| checklist::parse(body).ok())
        .filter(|v| v.key == version.key)
        .unwrap_or(version);
    let mut given = by_item(store.checklist_answers(scope, &version.key, round).await?);
    let view = crate::vulns::view(store, scope, visible, now, cache).await?;
    let points = store.connection_points(scope).await?;
    let unchecked: Vec<AssetId> = view.not_checked().map(|(a, ..)| a).collect();
    let past_support: Vec<AssetId> = crate::vulns::past_support(visible, today)
        .into_iter()
        .map(|(a, _)| a.id)
        .collect();
    let tools: Vec<(AssetId, String)> = crate::vulns::unlisted_tools(store, scope, visible)
        .await?
        .into_iter()
        .map(|t| (t.asset, t.program))
        .collect();
    let officer = store.security_officer(scope).await?;
    // A withdrawn document (kept by mistake) counts for nothing and is not listed.
    let mut documents = store.evidence(scope).await?;
    documents.retain(|d| d.withdrawn.is_none());
    let mut vendors: Vec<String> = visible
        .iter()
        .filter_map(|a| a.details.vendor.as_deref())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .chain(
            store
                .vendors(scope)
                .await?
                .into_iter()
                .map(|v| v.details.name.trim().to_string()),
        )
        .chain(
            points
                .iter()
                .filter_map(|p| p.details.vendor.as_deref())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string),
        )
        .collect();
    vendors.sort_by_cached_key(|v| checklist::vendor_key(v));
    vendors.dedup_by(|a, b| checklist::same_vendor(a, b));
    let held: Vec<(i64, String, Option<String>, String, bool)> = documents
        .iter()
        .map(|d| {
            (
                d.number,
                d.doc.topic.clone(),
                d.doc.vendor.clone(),
                d.doc.title.clone(),
                crate::evidence::valid_on(&d.doc, today)
                    && (d.doc.topic != VENDOR_SHEET || sheet_of_year(d, version.fiscal_year)),
            )
        })
        .collect();
    // Whether anything was imported: without inventories the account items cannot be told.
    let accounts = crate::accounts::overview(store, scope, today, unused_days).await?;
    let accounts = (!accounts.is_empty()).then_some(accounts);
    // The BCP's load already joins the backups and the contact chart: read them once.
    let plan = crate::bcp::load(store, scope, now).await?;
    let visible_ids: std::collections::HashSet<domain::AssetId> =
        visible.iter().map(|a| a.id).collect();
    let judged: Vec<(domain::AssetId, &str, &domain::backup::Assessment)> = plan
        .backups
        .systems
        .iter()
        .filter(|s| visible_ids.contains(&s.asset))
        .map(|s| (s.asset, s.name.as_str(), &s.assessment))
        .collect();
    let bcp = crate::bcp::standing(&plan);
    let vendor_sheet = vendor_version(store, version.fiscal_year).await?;
    let vendor_answers = match &vendor_sheet {
        Some(v) => store.vendor_answers(scope, &v.key).await?,
        None => Vec::new(),
    };
    let vendor_said: Vec<(String, String, checklist::Given)> = vendor_answers
        .iter()
        .map(|a| (a.vendor.clone(), a.given.topic.clone(), a.given.given))
        .collect();
    let facts = Facts {
        vendor_said: &vendor_said,
        bcp: Some(&bcp),
        chart: (!plan.chart.contacts.is_empty()).then_some(&plan.chart.gaps),
        backups: &judged,
        documents: &held,
        officer: officer.as_ref().map(|o| (o.name.as_str(), o.appointed_on)),
        today,
        assets: visible,
        points: &points,
        findings: &view.findings,
        vulnerability_data: view.cve_count > 0,
        unchecked: &unchecked,
        past_support: &past_support,
        unregistered_tools: &tools,
        check_days: crate::review::CHECK_DAYS,
        accounts: accounts.as_ref().map(|o| &o.review),
    };
    let lines = version
        .items
        .iter()
        .map(|item| {
            let mut history = given.remove(&item.topic).unwrap_or_default();
            let answer = history.pop();
            Line {
                proposal: checklist::propose(item, &facts),
                item: item.clone(),
                answer,
                history,
            }
        })
        .collect();
    let code = |l: checklist::Linked| format!("{}:{}", l.kind(), l.id());
    let device_name = |id: AssetId| {
        visible
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.details.name.clone())
    };
    let finding_name = |id: domain::finding::FindingId| {
        view.findings
            .iter()
            .find(|f| f.id == id)
            .map(|f| format!("{}({})", f.cve, device_name(f.asset).unwrap_or_default()))
    };
    let reviews = store.saved_reviews(scope).await?;
    let links = store
        .evidence_links(scope)
        .await?
        .into_iter()
        .filter_map(|link| {
            use checklist::Linked as L;
            // A record the reader may not see (a device outside a vendor's view) is left out.
            let name = match link.object {
                L::Device(a) => device_name(a)?,
                L::WayIn(p) => points.iter().find(|x| x.id == p)?.details.name.clone(),
                L::Finding(f) => finding_name(f)?,
                L::Review(n) => n.to_string(),
            };
            Some(LinkRow { link, name })
        })
        .collect();
    let choices = LinkChoices {
        devices: visible
            .iter()
            .map(|a| {
                (
                    code(checklist::Linked::Device(a.id)),
                    a.details.name.clone(),
                )
            })
            .collect(),
        ways_in: points
            .iter()
            .map(|p| (code(checklist::Linked::WayIn(p.id)), p.details.name.clone()))
            .collect(),
        findings: view
            .findings
            .iter()
            .filter(|f| f.status(today) != domain::finding::Status::Fixed)
            .filter_map(|f| Some((code(checklist::Linked::Finding(f.id)), finding_name(f.id)?)))
            .collect(),
        reviews: reviews
            .iter()
            .map(|r| {
                (
                    code(checklist::Linked::Review(r.number)),
                    r.number,
                    r.review.reviewed_on,
                )
            })
            .collect(),
    };
    Ok(Sheet {
        version,
        today,
        lines,
        round,
        rounds,
        documents,
        vendors,
        links,
        choices,
        vendor_sheet,
        vendor_answers,
    })
}

/// Two fiscal years' sheets of a facility side by side: each item's answer in force in the
/// newest round of each year, matched by topic.
pub struct YearOverYear {
    pub then: (Version, i64),
    pub now: (Version, i64),
    pub changes: Vec<checklist::YearChange>,
}

/// Compares the sheets of fiscal years `from` and `to`; `Err(year)` names a year no version
/// is for.
pub async fn year_over_year(
    store: &Store,
    scope: &FacilityScope,
    from: i32,
    to: i32,
) -> Result<Result<YearOverYear, i32>, store::Error> {
    let all = versions(store).await?;
    year_over_year_in(store, scope, &all, (from, to)).await
}

/// [`year_over_year`] among versions already read (`versions`).
pub async fn year_over_year_in(
    store: &Store,
    scope: &FacilityScope,
    all: &[(Version, bool)],
    (from, to): (i32, i32),
) -> Result<Result<YearOverYear, i32>, store::Error> {
    let of_year = |y: i32| {
        all.iter()
            .filter(|(v, _)| v.fiscal_year == y)
            .map(|(v, _)| v.clone())
            .next_back()
    };
    let Some(old) = of_year(from) else {
        return Ok(Err(from));
    };
    let Some(new) = of_year(to) else {
        return Ok(Err(to));
    };
    let (old_round, old_given) = in_force(store, scope, &old.key).await?;
    let (new_round, new_given) = in_force(store, scope, &new.key).await?;
    let changes = checklist::compare((&old, &old_given), (&new, &new_given));
    Ok(Ok(YearOverYear {
        then: (old, old_round),
        now: (new, new_round),
        changes,
    }))
}

/// The newest round of a version and each item's answer in it.
async fn in_force(
    store: &Store,
    scope: &FacilityScope,
    key: &str,
) -> Result<(i64, std::collections::HashMap<String, checklist::Given>), store::Error> {
    let round = store
        .checklist_rounds(scope, key)
        .await?
        .first()
        .map_or(1, |r| r.number);
    let given = by_item(store.checklist_answers(scope, key, round).await?)
        .into_iter()
        .filter_map(|(topic, mut answers)| answers.pop().map(|a| (topic, a.recorded.given)))
        .collect();
    Ok((round, given))
}

impl YearOverYear {
    /// Whether last year's sheet was answered at all (nothing to compare otherwise).
    pub fn answered_then(&self) -> bool {
        self.changes.iter().any(|c| c.then.is_some())
    }

    /// `mamori checklist compare --format json`.
    pub fn to_json(&self) -> serde_json::Value {
        let side = |(v, round): &(Version, i64)| json!({"version": v.key, "fiscal_year": v.fiscal_year, "round": round});
        json!({
            "from": side(&self.then),
            "to": side(&self.now),
            "items": self.changes.iter().map(|c| json!({
                "topic": c.topic,
                "number_then": c.number_then,
                "number_now": c.number_now,
                "text": c.ja,
                "then": c.then.map(|g| g.code()),
                "now": c.now.map(|g| g.code()),
                "movement": c.movement.code(),
            })).collect::<Vec<_>>(),
        })
    }
}

/// A movement in words: 「いいえ → はい」.
pub fn movement(lang: Lang, c: &checklist::YearChange) -> String {
    lang.t(&format!("checklist-movement-{}", c.movement.code()))
}

/// An answer given in words (はい / いいえ / 対象外), or 「未回答」.
pub fn given(lang: Lang, g: Option<checklist::Given>) -> String {
    match g {
        Some(g) => lang.t(&format!("checklist-given-{}", g.code())),
        None => lang.t("checklist-given-none"),
    }
}

/// A linked record in words: 「機器「受付PC」: 台帳の行」 (with the note when there is one).
pub fn link_words(lang: Lang, k: &LinkRow) -> String {
    let object = k.link.object;
    let name = match object {
        checklist::Linked::Review(n) => lang.tr("review-kept-name", args![number = n]),
        _ => k.name.clone(),
    };
    lang.tr(
        &format!("evidence-link-{}", object.kind().replace('_', "-")),
        args![name = name],
    )
}

/// Records what a vendor answered on its returned 事業者確認用 sheet: `typed` holds each
/// item's answer code (empty: not recorded) and comment, `sheet_on` the date on the sheet.
/// Problems name their fields; returns how many answers were recorded.
pub async fn record_vendor_answers(
    store: &Store,
    scope: &FacilityScope,
    actor: &domain::Actor,
    (sheet, vendor): (&Sheet, &str),
    (typed, sheet_on): (&[(String, String, String)], &str),
    now: Timestamp,
) -> Result<Result<usize, Vec<domain::Error>>, store::Error> {
    use domain::{Error as E, Field, Rule};
    // No vendor sheet for that year, or the year has ended: its record does not change.
    let Some(version) = sheet
        .vendor_sheet
        .as_ref()
        .filter(|_| sheet.version.fiscal_year >= checklist::fiscal_year(sheet.today))
    else {
        return Ok(Err(vec![E::invalid(
            Field::ChecklistAnswer,
            &sheet.version.key,
            Rule::FiscalYearEnded {
                year: sheet.version.fiscal_year,
            },
        )]));
    };
    let mut problems = Vec::new();
    let Some(vendor) = sheet
        .vendors
        .iter()
        .find(|v| checklist::same_vendor(v, vendor))
    else {
        return Ok(Err(vec![E::invalid(
            Field::VendorName,
            vendor,
            Rule::UnknownChoice,
        )]));
    };
    let day = match Date::parse_field(Field::VendorSheetOn, sheet_on) {
        Ok(Some(d)) if d > sheet.today => {
            problems.push(E::invalid(Field::VendorSheetOn, d, Rule::InTheFuture));
            None
        }
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            problems.push(E::invalid(Field::VendorSheetOn, "", Rule::Required));
            None
        }
        Err(e) => {
            problems.push(e);
            None
        }
    };
    let mut answers = Vec::new();
    for (topic, code, comment) in typed {
        if code.trim().is_empty() {
            continue;
        }
        if !version.items.iter().any(|i| &i.topic == topic) {
            problems.push(E::invalid(
                Field::ChecklistAnswer,
                topic,
                Rule::UnknownChoice,
            ));
            continue;
        }
        let Some(given) = checklist::Given::parse(code) else {
            problems.push(E::invalid(
                Field::ChecklistAnswer,
                code,
                Rule::UnknownChoice,
            ));
            continue;
        };
        let comment = match domain::text::optional(
            Field::ChecklistComment,
            Some(comment),
            checklist::COMMENT_MAX,
        ) {
            Ok(c) => c.unwrap_or_default(),
            Err(e) => {
                problems.push(e);
                continue;
            }
        };
        if let Some(sheet_on) = day {
            answers.push(store::VendorGiven {
                topic: topic.clone(),
                given,
                sheet_on,
                comment,
            });
        }
    }
    if answers.is_empty() && problems.is_empty() {
        problems.push(E::invalid(Field::ChecklistAnswer, "", Rule::Required));
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    store
        .record_vendor_answers(
            scope,
            actor,
            (&version.key, vendor, &checklist::vendor_key(vendor)),
            &answers,
            now,
        )
        .await?;
    Ok(Ok(answers.len()))
}

/// The longest note a link takes.
pub const LINK_NOTE_MAX: usize = 500;

/// Links a record (`asset:12`, `connection_point:3`, `finding:40`, `review:2` as the page
/// posts it) as evidence of an item of the sheet. Problems name their fields: an unknown
/// item or record, a record not the facility's, one linked already, a note too long.
pub async fn link(
    store: &Store,
    scope: &FacilityScope,
    actor: &domain::Actor,
    (sheet, topic): (&Sheet, &str),
    (record, note): (&str, &str),
    now: Timestamp,
) -> Result<Result<i64, Vec<domain::Error>>, store::Error> {
    use domain::{Error as E, Field, Rule};
    let mut problems = Vec::new();
    if sheet.version.fiscal_year < checklist::fiscal_year(sheet.today) {
        return Ok(Err(vec![E::invalid(
            Field::ChecklistAnswer,
            &sheet.version.key,
            Rule::FiscalYearEnded {
                year: sheet.version.fiscal_year,
            },
        )]));
    }
    if !sheet.lines.iter().any(|l| l.item.topic == topic) {
        problems.push(E::invalid(
            Field::ChecklistAnswer,
            topic,
            Rule::UnknownChoice,
        ));
    }
    let object = record
        .split_once(':')
        .and_then(|(kind, id)| checklist::Linked::parse(kind, id.trim().parse().ok()?));
    if object.is_none() {
        let rule = if record.trim().is_empty() {
            Rule::Required
        } else {
            Rule::UnknownChoice
        };
        problems.push(E::invalid(Field::EvidenceRecord, record, rule));
    }
    let note = match domain::text::optional(Field::EvidenceNote, Some(note), LINK_NOTE_MAX) {
        Ok(n) => n.unwrap_or_default(),
        Err(e) => {
            problems.push(e);
            String::new()
        }
    };
    let Some(object) = object.filter(|_| problems.is_empty()) else {
        return Ok(Err(problems));
    };
    match store
        .add_evidence_link(scope, actor, (topic, object, &note), now)
        .await
    {
        Ok(n) => Ok(Ok(n)),
        Err(store::Error::NotFound { .. }) => Ok(Err(vec![E::invalid(
            Field::EvidenceRecord,
            record,
            Rule::UnknownChoice,
        )])),
        Err(store::Error::Conflict { .. }) => Ok(Err(vec![E::invalid(
            Field::EvidenceRecord,
            record,
            Rule::AlreadyLinked,
        )])),
        Err(e) => Err(e),
    }
}

/// Signs the sheet's round off, keeping the version file it was answered on; `false` when it
/// was signed off already or has no answer.
pub async fn lock(
    store: &Store,
    scope: &FacilityScope,
    actor: &domain::Actor,
    sheet: &Sheet,
    now: Timestamp,
) -> Result<bool, store::Error> {
    // A version in use was read from such a file: writing it back cannot fail in practice.
    let body = checklist::workbook::to_text(&sheet.version).map_err(|e| store::Error::Corrupt {
        table: "checklist_version",
        column: "body",
        id: sheet.version.key.clone(),
        value: e.0,
    })?;
    let digest = domain::audit::to_hex(&sha2::Sha256::digest(body.as_bytes()));
    store
        .lock_checklist_round(
            scope,
            actor,
            (&sheet.version.key, &body, &digest),
            sheet.round,
            now,
        )
        .await
}

/// Whether a returned vendor sheet is of `fiscal_year` (it says how things stood when it was
/// filled in: last year's sheet answers last year's checklist). Its year is the one of the day
/// it is valid from, or else the day it was kept.
pub fn sheet_of_year(d: &store::Evidence, fiscal_year: i32) -> bool {
    let day = d
        .doc
        .valid_from
        .unwrap_or_else(|| Date::in_japan(d.uploaded_at));
    checklist::fiscal_year(day) == fiscal_year
}

/// A round's answers by item, each item's oldest first (its last is its answer).
fn by_item(answers: Vec<StoredAnswer>) -> std::collections::HashMap<String, Vec<StoredAnswer>> {
    let mut out: std::collections::HashMap<String, Vec<StoredAnswer>> =
        std::collections::HashMap::new();
    for a in answers {
        out.entry(a.topic.clone()).or_default().push(a);
    }
    out
}

/// Records a person's answer to an item of the sheet's round, checked field by field (the
/// problems name their fields). `store::Error::Conflict` when the round is locked.
pub async fn answer_item(
    store: &Store,
    scope: &FacilityScope,
    actor: &domain::Actor,
    sheet: &Sheet,
    topic: &str,
    typed: [&str; 4],
    now: Timestamp,
) -> Result<Result<(), Vec<domain::Error>>, store::Error> {
    let [given, checked_on, target_on, comment] = typed;
    // A past fiscal year's sheet is the record of that year: it takes no more answers.
    if sheet.version.fiscal_year < checklist::fiscal_year(sheet.today) {
        return Ok(Err(vec![domain::Error::invalid(
            domain::Field::ChecklistAnswer,
            &sheet.version.key,
            domain::Rule::FiscalYearEnded {
                year: sheet.version.fiscal_year,
            },
        )]));
    }
    let Some(line) = sheet.lines.iter().find(|l| l.item.topic == topic) else {
        return Ok(Err(vec![domain::Error::invalid(
            domain::Field::ChecklistAnswer,
            topic,
            domain::Rule::UnknownChoice,
        )]));
    };
    let recorded = match checklist::record(
        &sheet.version,
        sheet.today,
        given,
        checked_on,
        target_on,
        comment,
    ) {
        Ok(r) => r,
        Err(problems) => return Ok(Err(problems)),
    };
    // Overriding what the records show takes a reason, for the inspector who reads both.
    let against = matches!(
        (&line.proposal.answer, recorded.given),
        (Answer::No, checklist::Given::Yes) | (Answer::Yes, checklist::Given::No)
    );
    if against && recorded.comment.trim().is_empty() {
        return Ok(Err(vec![domain::Error::invalid(
            domain::Field::ChecklistComment,
            "",
            domain::Rule::OverrideNeedsReason,
        )]));
    }
    store
        .record_checklist_answer(
            scope,
            actor,
            store::Where {
                version: &sheet.version.key,
                round: sheet.round,
                topic,
            },
            &recorded,
            line.proposal.answer.code(),
            now,
        )
        .await?;
    Ok(Ok(()))
}

impl Sheet {
    /// The gate question is answered いいえ: the other items need no answer.
    pub fn gated_out(&self) -> bool {
        self.lines.iter().any(|l| {
            l.item.gate
                && l.answer
                    .as_ref()
                    .is_some_and(|a| a.recorded.given == checklist::Given::No)
        })
    }

    /// The round shown is the newest and not signed off, of a fiscal year not yet ended: it
    /// takes answers.
    pub fn open(&self) -> bool {
        if self.version.fiscal_year < checklist::fiscal_year(self.today) {
            return false;
        }
        match self.rounds.first() {
            None => self.round == 1,
            Some(r) => r.number == self.round && r.locked_at.is_none(),
        }
    }

    /// The round shown, when signed off.
    pub fn locked(&self) -> Option<&Round> {
        self.rounds
            .iter()
            .find(|r| r.number == self.round)
            .filter(|r| r.locked_at.is_some())
    }

    /// How many items Mamori answered はい / いいえ / for a person to confirm / could not tell.
    pub fn counts(&self) -> [usize; 4] {
        let mut out = [0; 4];
        for l in self.lines.iter().filter(|l| !l.item.gate) {
            let i = match l.proposal.answer {
                Answer::Yes => 0,
                Answer::No => 1,
                Answer::Confirm => 2,
                Answer::CannotTell => 3,
            };
            out[i] += 1;
        }
        out
    }

    /// The counts in words: 「Mamori の見立て(18 項目…): はい 3 ・ いいえ 9 …」.
    pub fn counts_words(&self, lang: Lang) -> String {
        let [yes, no, confirm, cannot] = self.counts();
        lang.tr(
            "checklist-counts",
            args![
                items = yes + no + confirm + cannot,
                yes = yes,
                no = no,
                confirm = confirm,
                cannot = cannot
            ],
        )
    }

    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.version.title_ja,
            Lang::En => &self.version.title_en,
        }
    }

    /// `mamori checklist --format json`.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "version": self.version.key,
            "title": self.version.title_ja,
            "fiscal_year": self.version.fiscal_year,
            "source": self.version.source,
            "day": self.today.to_string(),
            "round": self.round,
            "locked": self.locked().is_some(),
            "items": self.lines.iter().map(|l| json!({
                "topic": l.item.topic,
                "number": l.item.number,
                "wording": l.item.wording.code(),
                "text": l.item.ja,
                "targets": l.item.targets.iter().map(|t| t.code()).collect::<Vec<_>>(),
                "proposal": l.proposal.answer.code(),
                "documents": self.documents.iter().filter(|d| d.doc.topic == l.item.topic).map(|d| json!({
                    "number": d.number,
                    "title": d.doc.title,
                    "media_type": d.doc.media_type,
                    "sha256": d.doc.sha256,
                    "valid_from": d.doc.valid_from.map(|x| x.to_string()),
                    "valid_until": d.doc.valid_until.map(|x| x.to_string()),
                })).collect::<Vec<_>>(),
                "vendor_answers": self.vendor_answers.iter().filter(|a| a.given.topic == l.item.topic).map(|a| json!({
                    "vendor": a.vendor,
                    "answer": a.given.given.code(),
                    "sheet_on": a.given.sheet_on.to_string(),
                    "comment": a.given.comment,
                })).collect::<Vec<_>>(),
                "links": self.links.iter().filter(|k| k.link.topic == l.item.topic).map(|k| json!({
                    "number": k.link.number,
                    "kind": k.link.object.kind(),
                    "id": k.link.object.id(),
                    "name": k.name,
                    "note": k.link.note,
                    "linked_at": k.link.linked_at.to_string(),
                })).collect::<Vec<_>>(),
                "answer": l.answer.as_ref().map(|a| json!({
                    "answer": a.recorded.given.code(),
                    "checked_on": a.recorded.checked_on.to_string(),
                    "target_on": a.recorded.target_on.map(|d| d.to_string()),
                    "comment": a.recorded.comment,
                    "answered_at": a.answered_at.to_string(),
                    "changes": l.history.len(),
                })),
                "reason": l.proposal.reason,
                "evidence": l.proposal.evidence.iter().map(|e| json!({
                    "subject": match e.what {
                        Subject::Officer => "officer",
                        Subject::Vendor => "vendor",
                        Subject::Document(_) => "document",
                        Subject::Device(_) => "device",
                        Subject::WayIn(_) => "way_in",
                        Subject::Finding(_) => "finding",
                        Subject::Account(_) => "account",
                        Subject::Backup(_) => "backup",
                        Subject::Chart => "contact_chart",
                        Subject::Bcp => "bcp",
                        Subject::Review(_) => "review",
                    },
                    "id": subject_id(e.what),
                    "name": e.name,
                    "why": e.why,
                    "detail": e.detail,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }
}

fn subject_id(s: Subject) -> i64 {
    match s {
        Subject::Officer | Subject::Vendor => 0,
        Subject::Document(n) => n,
        Subject::Device(a) => a.0,
        Subject::WayIn(p) => p.0,
        Subject::Finding(f) => f.0,
        Subject::Account(s) => s.code().1,
        Subject::Backup(a) => a.0,
        Subject::Review(n) => n,
        Subject::Chart | Subject::Bcp => 0,
    }
}

/// The name an evidence row is shown with: an account row names the staff login only to
/// those who may see the accounts, the system alone to the others.
pub fn shown_name(e: &Evidence, sees_accounts: bool) -> String {
    match e.what {
        Subject::Account(_) if !sees_accounts => e
            .name
            .split_once(": ")
            .map_or(e.name.as_str(), |(system, _)| system)
            .to_string(),
        _ => e.name.clone(),
    }
}

/// One evidence row in words, named as the reader may see it: 「受付PC: 版を確かめた日が
/// ありません」, 「厚生労働省: 連絡体制図にありません」.
pub fn row_words(lang: Lang, e: &Evidence, sees_accounts: bool) -> String {
    let name = match (e.what, e.why) {
        (Subject::Chart, "contact-missing") => domain::incident::ContactRole::parse(&e.name)
            .map(|r| crate::incident::role_label(lang, r))
            .unwrap_or_else(|_| e.name.clone()),
        (Subject::Bcp, "bcp-unwritten") => domain::bcp::Section::parse(&e.name)
            .map(|s| lang.t(&format!("bcp-section-{}", s.code())))
            .unwrap_or_else(|_| e.name.clone()),
        _ => shown_name(e, sees_accounts),
    };
    format!("{name}: {}", evidence(lang, e))
}

/// The item's sentence in the reader's language.
pub fn wording(lang: Lang, item: &Item) -> &str {
    match lang {
        Lang::Ja => &item.ja,
        Lang::En => &item.en,
    }
}

/// 文言未確認 and why, when the item's sentence is not the confirmed official one.
pub fn unconfirmed(lang: Lang, item: &Item) -> Option<String> {
    (item.wording != checklist::Wording::Confirmed)
        .then(|| lang.t(&format!("checklist-wording-{}", item.wording.code())))
}

/// What the item is asked of (対象), in words.
pub fn targets(lang: Lang, item: &Item) -> String {
    item.targets
        .iter()
        .map(|t| lang.t(&format!("checklist-target-{}", t.code())))
        .collect::<Vec<_>>()
        .join("、")
}

pub fn evidence_needed(lang: Lang, item: &Item) -> &str {
    match lang {
        Lang::Ja => &item.evidence_ja,
        Lang::En => &item.evidence_en,
    }
}

/// The proposal in words: 「はい」, 「いいえ」, …
pub fn answer(lang: Lang, a: &Answer) -> String {
    lang.t(&format!("checklist-answer-{}", a.code()))
}

/// Why Mamori proposes it, in one sentence (how many rows).
pub fn reason(lang: Lang, p: &Proposal) -> String {
    // Rows may repeat a name (a system with two backup gaps): `systems` counts names once.
    let mut names: Vec<&str> = p.evidence.iter().map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    lang.tr(
        &format!("checklist-reason-{}", p.reason),
        args![count = p.evidence.len(), systems = names.len()],
    )
}

/// One row in words: 「受付PC: 版を確かめた日がありません」.
pub fn evidence(lang: Lang, e: &Evidence) -> String {
    let detail = match e.why {
        "ledger-missing" => {
            crate::messages::asset_fields(lang, e.detail.iter().map(String::as_str))
        }
        "officer" => e
            .detail
            .iter()
            .filter_map(|d| Date::parse(d).ok())
            .map(|d| lang.tr("checklist-officer-since", args![day = text::day(lang, d)]))
            .collect(),
        _ => e.detail.join("、"),
    };
    lang.tr(&format!("checklist-why-{}", e.why), args![detail = detail])
}

/// Where the facility stands with this fiscal year's checklist, from the recorded answers
/// (the overview's card).
pub struct Standing {
    pub version: Version,
    pub round: i64,
    pub answered: usize,
    pub items: usize,
    pub no: usize,
    /// The nearest target day of an いいえ, and whether it has passed.
    pub nearest_target: Option<(Date, bool)>,
    pub locked: bool,
}

pub async fn standing(
    store: &Store,
    scope: &FacilityScope,
    today: Date,
) -> Result<Option<Standing>, store::Error> {
    let Some(version) = version(store, None, today).await? else {
        return Ok(None);
    };
    let rounds = store.checklist_rounds(scope, &version.key).await?;
    let round = rounds.first().map_or(1, |r| r.number);
    let given = by_item(store.checklist_answers(scope, &version.key, round).await?);
    // The newest answer of each item of the version in use (an imported version may have
    // dropped items answered before), counted as the checklist's page counts them; the gate
    // question's いいえ (no medical information system) is no gap to close.
    let newest: Vec<(&Item, &StoredAnswer)> = version
        .items
        .iter()
        .filter_map(|i| Some((i, given.get(&i.topic)?.last()?)))
        .collect();
    let no: Vec<&StoredAnswer> = newest
        .iter()
        .filter(|(i, a)| !i.gate && a.recorded.given == checklist::Given::No)
        .map(|(_, a)| *a)
        .collect();
    let nearest_target = no
        .iter()
        .filter_map(|a| a.recorded.target_on)
        .min()
        .map(|d| (d, d < today));
    Ok(Some(Standing {
        round,
        answered: newest.len(),
        items: version.items.len(),
        no: no.len(),
        nearest_target,
        locked: rounds.first().is_some_and(|r| r.locked_at.is_some()),
        version,
    }))
}

/// Records the facility's 医療情報システム安全管理責任者 (checklist 1-①): a name, and the day of
/// the appointment when known (not after today). Problems name their fields.
pub async fn record_officer(
    store: &Store,
    scope: &FacilityScope,
    actor: &domain::Actor,
    name: &str,
    appointed_on: &str,
    now: Timestamp,
) -> Result<Result<(), Vec<domain::Error>>, store::Error> {
    use domain::{Error, Field, Rule};
    let today = Date::in_japan(now);
    let mut problems = Vec::new();
    let name = match domain::text::required(Field::SecurityOfficer, name, 100) {
        Ok(n) => n,
        Err(e) => {
            problems.push(e);
            String::new()
        }
    };
    let since = match Date::parse_field(Field::Date, appointed_on) {
        Ok(Some(d)) if d > today => {
            problems.push(Error::invalid(Field::Date, d, Rule::InTheFuture));
            None
        }
        Ok(d) => d,
        Err(e) => {
            problems.push(e);
            None
        }
    };
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    store
        .set_security_officer(scope, actor, &name, since, now)
        .await?;
    Ok(Ok(()))
}

impl Sheet {
    /// The answers as an Excel workbook (`report::checklist`), in the reader's language.
    pub fn xlsx(&self, lang: Lang, facility: &str) -> Result<Vec<u8>, String> {
        let headers = [
            "checklist-number",
            "checklist-item",
            "checklist-targets",
            "checklist-recorded",
            "field-checklist-checked-on",
            "field-checklist-target-on",
            "field-checklist-comment",
            "checklist-proposal",
            "checklist-evidence",
        ]
        .map(|id| lang.t(id));
        let rows: Vec<report::checklist::Row> = self
            .lines
            .iter()
            .map(|l| report::checklist::Row {
                number: if l.item.gate {
                    "—".into()
                } else {
                    l.item.number.clone()
                },
                text: wording(lang, &l.item).to_string(),
                unconfirmed: unconfirmed(lang, &l.item),
                targets: targets(lang, &l.item),
                answer: l
                    .answer
                    .as_ref()
                    .map(|a| lang.t(&format!("checklist-given-{}", a.recorded.given.code())))
                    .unwrap_or_default(),
                checked_on: l.answer.as_ref().map(|a| a.recorded.checked_on),
                target_on: l.answer.as_ref().and_then(|a| a.recorded.target_on),
                comment: l
                    .answer
                    .as_ref()
                    .map(|a| a.recorded.comment.clone())
                    .unwrap_or_default(),
                proposal: format!(
                    "{}: {}",
                    answer(lang, &l.proposal.answer),
                    reason(lang, &l.proposal)
                ),
                evidence: l
                    .proposal
                    .evidence
                    .iter()
                    .map(|e| row_words(lang, e, true))
                    .collect::<Vec<_>>()
                    .join("\n"),
            })
            .collect();
        let title = format!(
            "{} — {} — {}",
            self.title(lang),
            facility,
            lang.tr("checklist-round-name", args![round = self.round])
        );
        report::checklist::xlsx(&title, &headers, &rows).map_err(|e| e.to_string())
    }

    /// The sheet as the inspector reads it on paper: the items with はい/いいえ/対象外 marked,
    /// 確認日 and 目標日, then an annex with what each answer rests on (Mamori's rows and the
    /// kept documents) and the plan for each いいえ.
    /// `sees_accounts`: the reader may see staff logins (else an account row names its system
    /// only).
    pub fn pdf(
        &self,
        lang: Lang,
        facility: &str,
        sees_accounts: bool,
    ) -> Result<print::Rendered, print::PrintError> {
        let day = |d: Date| text::day(lang, d);
        let short = |item: &Item| {
            let w = wording(lang, item);
            let cut: String = w.chars().take(48).collect();
            if cut.chars().count() < w.chars().count() {
                format!("{cut}…")
            } else {
                cut
            }
        };
        let items: Vec<serde_json::Value> = self
            .lines
            .iter()
            .map(|l| {
                let a = l.answer.as_ref().map(|a| &a.recorded);
                let given = a.map_or("", |a| match a.given {
                    checklist::Given::Yes => "yes",
                    checklist::Given::No => "no",
                    checklist::Given::NotApplicable => "na",
                });
                json!({
                    "number": if l.item.gate { "—".to_string() } else { l.item.number.clone() },
                    "text": wording(lang, &l.item),
                    "short": short(&l.item),
                    "unconfirmed": unconfirmed(lang, &l.item).unwrap_or_default(),
                    "targets": targets(lang, &l.item),
                    "given": given,
                    "given_words": a.map_or_else(
                        || lang.t("print-checklist-unanswered"),
                        |a| lang.t(&format!("checklist-given-{}", a.given.code())),
                    ),
                    "checked_on": a.map(|a| day(a.checked_on)).unwrap_or_default(),
                    "target_on": a.and_then(|a| a.target_on).map(day).unwrap_or_default(),
                    "comment": a.map(|a| a.comment.clone()).unwrap_or_default(),
                    "proposal": answer(lang, &l.proposal.answer),
                    "reason": reason(lang, &l.proposal),
                    "evidence": l.proposal.evidence.iter()
                        .map(|e| row_words(lang, e, sees_accounts))
                        .collect::<Vec<_>>(),
                    "documents": self.documents.iter()
                        .filter(|d| d.doc.topic == l.item.topic)
                        .map(|d| {
                            let valid = match (d.doc.valid_from, d.doc.valid_until) {
                                (None, None) => String::new(),
                                (f, u) => format!(
                                    "({}〜{})",
                                    f.map(day).unwrap_or_default(),
                                    u.map(day).unwrap_or_default()
                                ),
                            };
                            lang.tr(
                                "print-checklist-document",
                                args![number = d.number, title = d.doc.title.as_str(), valid = valid],
                            )
                        })
                        .chain(self.links.iter().filter(|k| k.link.topic == l.item.topic).map(|k| {
                            let words = link_words(lang, k);
                            if k.link.note.is_empty() {
                                words
                            } else {
                                format!("{words}: {}", k.link.note)
                            }
                        }))
                        .collect::<Vec<_>>(),
                })
            })
            .collect();
        let plan: Vec<serde_json::Value> = self
            .lines
            .iter()
            .filter_map(|l| {
                let a = &l.answer.as_ref()?.recorded;
                (a.given == checklist::Given::No).then(|| {
                    json!({
                        "number": l.item.number,
                        "short": short(&l.item),
                        "target_on": a.target_on.map(day).unwrap_or_default(),
                        "comment": a.comment,
                    })
                })
            })
            .collect();
        let labels = crate::messages::print_labels(
            lang,
            &[
                ("facility", "print-checklist-facility"),
                ("printed", "print-printed"),
                ("number", "checklist-number"),
                ("item", "checklist-item"),
                ("targets", "checklist-targets"),
                ("yes", "checklist-given-yes"),
                ("no", "checklist-given-no"),
                ("na", "checklist-given-not-applicable"),
                ("checked_on", "field-checklist-checked-on"),
                ("target_on", "field-checklist-target-on"),
                ("legend", "print-checklist-legend"),
                ("annex", "print-checklist-annex"),
                ("annex_lead", "print-checklist-annex-lead"),
                ("answer", "field-checklist-answer"),
                ("proposal", "checklist-proposal"),
                ("documents", "print-checklist-documents"),
                ("comment", "field-checklist-comment"),
                ("plan", "print-checklist-plan"),
            ],
        );
        let locked = match self.locked().and_then(|r| r.locked_at) {
            Some(at) => lang.tr(
                "print-checklist-locked",
                args![day = text::day(lang, Date::in_japan(at))],
            ),
            None => lang.t("print-checklist-not-locked"),
        };
        let data = json!({
            "lang": match lang { Lang::Ja => "ja", Lang::En => "en" },
            "title": self.title(lang),
            "facility": facility,
            "footer": lang.t("print-footer"),
            "round": lang.tr("checklist-round-name", args![round = self.round]),
            "printed": day(self.today),
            "locked": locked,
            "gate": if self.gated_out() { lang.t("checklist-gated-out") } else { String::new() },
            "labels": labels,
            "items": items,
            "plan": plan,
        });
        print::render(print::Template::Checklist, &data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_rows_name_the_login_only_to_those_who_see_accounts() {
        let e = Evidence {
            what: Subject::Account(domain::accounts::SystemRef::Device(3)),
            name: "受付PC: suzuki".into(),
            why: "leaver",
            detail: Vec::new(),
        };
        assert_eq!(shown_name(&e, true), "受付PC: suzuki");
        assert_eq!(shown_name(&e, false), "受付PC");
        let device = Evidence {
            what: Subject::Device(domain::AssetId(1)),
            ..e
        };
        assert_eq!(shown_name(&device, false), "受付PC: suzuki");
    }
}
