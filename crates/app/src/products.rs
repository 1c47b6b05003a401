//! `mamori products`: the products people chose for a maker and model (the same choice as
//! the device page's 「製品を指定する」), and the devices still waiting for one.

use crate::output::say;
use std::process::ExitCode;

use anyhow::Result;
use domain::Clock;
use domain::identify::{Check, Reason};
use store::Store;
use text::{Lang, args};

use crate::cli::Format;
use crate::commands::cli_actor;
use crate::config::Config;
use crate::failure::{self, Failure};
use crate::ledger::scope_of;

/// The one device of the facility a person named (its name or ledger number).
pub fn device_named<'a>(
    lang: Lang,
    assets: &'a [domain::Asset],
    facility: &str,
    device: &str,
) -> Result<&'a domain::Asset> {
    let wanted = device.trim();
    let found: Vec<&domain::Asset> = assets
        .iter()
        .filter(|a| a.details.name == wanted || a.id.0.to_string() == wanted)
        .collect();
    match found.as_slice() {
        [asset] => Ok(asset),
        _ => Err(Failure(lang.tr(
            "software-no-device",
            args![facility = facility, device = wanted],
        ))
        .into()),
    }
}

/// `mamori products list`: the bindings, then the devices whose product is not known and
/// the candidates to choose from.
pub async fn list(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    facility: &str,
    format: Format,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let bindings = store.product_binding_list(&scope).await.map_err(&fail)?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let view = service::vulns::view(store, &scope, &assets, clock.now(), None)
        .await
        .map_err(&fail)?;
    let waiting: Vec<(&domain::Asset, Reason, &[String])> = view
        .checks
        .iter()
        .filter_map(|(id, check)| match check {
            Check::NotChecked { reason, candidates }
                if matches!(reason, Reason::UnknownProduct | Reason::Ambiguous) =>
            {
                Some((
                    assets.iter().find(|a| a.id == *id)?,
                    *reason,
                    candidates.as_slice(),
                ))
            }
            _ => None,
        })
        .collect();
    match format {
        Format::Json => {
            let out = serde_json::json!({
                "bindings": bindings.iter().map(|b| serde_json::json!({
                    "maker": b.maker,
                    "model": b.model,
                    "product": format!("{}:{}", b.vendor, b.product),
                    "bound_by": b.bound_by,
                    "bound_at": b.bound_at.to_string(),
                })).collect::<Vec<_>>(),
                "waiting": waiting.iter().map(|(a, reason, candidates)| serde_json::json!({
                    "id": a.id.0,
                    "name": a.details.name,
                    "maker": a.details.maker,
                    "model": a.details.model,
                    "reason": reason.code(),
                    "candidates": candidates,
                })).collect::<Vec<_>>(),
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Table => {
            if bindings.is_empty() {
                say!("{}", lang.t("products-none-bound"));
            } else {
                let header: Vec<String> = ["col-product", "products-product", "products-by"]
                    .iter()
                    .map(|id| lang.t(id))
                    .collect();
                let rows: Vec<Vec<String>> = bindings
                    .iter()
                    .map(|b| {
                        vec![
                            format!("{} {}", b.maker, b.model).trim().to_string(),
                            format!("{}:{}", b.vendor, b.product),
                            b.bound_by.clone(),
                        ]
                    })
                    .collect();
                print!("{}", crate::output::table(&header, &rows));
            }
            say!();
            if waiting.is_empty() {
                say!("{}", lang.t("products-none-waiting"));
            } else {
                say!(
                    "{}",
                    lang.tr("products-waiting", args![count = waiting.len()])
                );
                for (a, reason, candidates) in &waiting {
                    let list = if candidates.is_empty() {
                        lang.t("products-no-candidates")
                    } else {
                        candidates.join(", ")
                    };
                    say!(
                        "  {} ({} {}): {} — {}",
                        a.details.name,
                        a.details.maker.as_deref().unwrap_or_default(),
                        a.details.model.as_deref().unwrap_or_default(),
                        service::messages::check_reason(lang, *reason),
                        list
                    );
                }
                say!("{}", lang.t("products-how-to-bind"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `mamori products bind`: the device's maker and model are checked as `product` from now
/// on (every device of that maker and model), then the facility is evaluated again.
pub async fn bind(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    (facility, device): (&str, &str),
    product: &str,
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let asset = device_named(lang, &assets, facility, device)?;
    let bound = match service::vulns::bind_product(
        store,
        &scope,
        &cli_actor(),
        clock.now(),
        None,
        asset,
        product,
    )
    .await
    {
        Ok(bound) => bound,
        Err(service::vulns::BindError::Store(e)) => return Err(fail(e)),
        Err(e) => return Err(Failure(service::messages::bind_problem(lang, &e)).into()),
    };
    say!(
        "{}",
        lang.tr(
            "bind-done",
            args![
                maker = asset.details.maker.as_deref().unwrap_or_default(),
                model = asset.details.model.as_deref().unwrap_or_default(),
                product = bound
            ]
        )
    );
    crate::ledger::evaluate(lang, store, &scope, facility, clock, None)
        .await
        .map_err(&fail)?;
    Ok(ExitCode::SUCCESS)
}

/// `mamori products unbind`: the device's maker and model are identified as before a person
/// chose.
pub async fn unbind(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    (facility, device): (&str, &str),
) -> Result<ExitCode> {
    let fail = failure::store(lang, &cfg.database_url);
    let scope = scope_of(lang, cfg, store, facility).await?;
    let assets = store.assets(&scope).await.map_err(&fail)?;
    let asset = device_named(lang, &assets, facility, device)?;
    let maker = asset.details.maker.as_deref().unwrap_or_default();
    let model = asset.details.model.as_deref().unwrap_or_default();
    let gone = store
        .unbind_product(&scope, &cli_actor(), clock.now(), maker, model)
        .await
        .map_err(&fail)?;
    if !gone {
        return Err(
            Failure(lang.tr("products-not-bound", args![maker = maker, model = model])).into(),
        );
    }
    say!(
        "{}",
        lang.tr("products-unbound", args![maker = maker, model = model])
    );
    crate::ledger::evaluate(lang, store, &scope, facility, clock, None)
        .await
        .map_err(&fail)?;
    Ok(ExitCode::SUCCESS)
}
