//! `mamori playbook print`: the drawer copy for the day of an attack (first-response steps with
//! whom to call, the contact chart, the copies to restore from, the ways in to cut) as a PDF;
//! `mamori bcp print`: the cyber-attack BCP after the MHLW template, with its check sheet.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use domain::Clock;
use store::Store;
use text::{Lang, args};

use crate::config::Config;
use crate::failure;
use crate::ledger::scope_of;
use crate::output::say;

/// Which paper to print.
#[derive(Debug, Clone, Copy)]
pub enum Paper {
    Drawer,
    Bcp,
}

pub async fn print(
    lang: Lang,
    cfg: &Config,
    store: &Store,
    clock: &dyn Clock,
    (facility, out): (&str, &Path),
    paper: Paper,
) -> Result<ExitCode> {
    let scope = scope_of(lang, cfg, store, facility).await?;
    let fail = failure::store(lang, &cfg.database_url);
    let name = store
        .facility(&domain::facility::FacilityRef::Id(scope.facility()))
        .await
        .map_err(&fail)?
        .name;
    let rendered = match paper {
        Paper::Drawer => {
            let data = service::incident::drawer(store, &scope, lang, &name, clock.now())
                .await
                .map_err(&fail)?;
            service::incident::render_drawer(&data)
        }
        Paper::Bcp => {
            let b = service::bcp::load(store, &scope, clock.now())
                .await
                .map_err(&fail)?;
            service::bcp::render(&service::bcp::pdf_data(lang, &name, &b))
        }
    }
    .map_err(|e| crate::failure::print(lang, e))?;
    let mut out = out.to_path_buf();
    if !out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
    {
        out.set_extension("pdf");
    }
    crate::failure::write_file(lang, &out, &rendered.pdf)?;
    say!(
        "{}",
        lang.tr("playbook-written", args![path = out.display().to_string()])
    );
    Ok(ExitCode::SUCCESS)
}
