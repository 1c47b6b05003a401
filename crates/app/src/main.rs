//! `mamori`: the one binary. Parses the command line and configuration, wires the store,
//! the web interface and the clock together, and prints results in the user's language.
//!
//! Owns: start-up, configuration, the audit key file, output formatting, exit codes.
//! `anyhow` lives only here; every failure a person can cause is a `Failure` with a
//! localised one-line message.

mod accounts;
mod backup;
mod cli;
mod clock;
mod commands;
mod config;
mod demo;
mod failure;
mod incident;
mod keys;
mod ledger;
mod output;
mod products;
mod users;

use std::process::ExitCode;

use clap::Parser;

use crate::failure::Failure;

fn main() -> ExitCode {
    let lang = cli::lang();
    let args = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mamori: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(args, lang)) {
        Ok(code) => code,
        Err(e) => {
            let message = match e.downcast_ref::<Failure>() {
                Some(f) => f.0.clone(),
                None => format!("{e:#}"),
            };
            eprintln!("mamori: {}", output::printable(&one_line(&message)));
            ExitCode::from(2)
        }
    }
}

/// Error details from drivers can span lines; a person and a log want one.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
