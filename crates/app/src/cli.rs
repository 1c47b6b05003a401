//! The command line. Help texts come from the locale files in the user's language; the
//! command and option names are a contract that later commands and scripts rely on.

use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{Args, Parser, Subcommand, ValueEnum};
use text::Lang;

static LANG: OnceLock<Lang> = OnceLock::new();

/// The language of this process's output, from `MAMORI_LANG`/`LANG`.
pub fn lang() -> Lang {
    *LANG.get_or_init(|| Lang::from_env(|k| std::env::var(k).ok()))
}

fn h(id: &str) -> String {
    lang().t(id)
}

#[derive(Debug, Parser)]
#[command(name = "mamori", version, about = h("cli-about"), disable_help_subcommand = true)]
#[command(next_display_order = None)]
pub struct Cli {
    #[arg(long, global = true, env = "MAMORI_DATABASE_URL", hide_env_values = true, help = h("cli-database-url"), value_name = "URL")]
    pub database_url: Option<String>,
    #[arg(long, global = true, env = "MAMORI_CONFIG", hide_env_values = true, help = h("cli-config"), value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    #[command(about = h("cli-serve"))]
    Serve(BindArgs),
    #[command(about = h("cli-demo"))]
    Demo(BindArgs),
    #[command(about = h("cli-migrate"))]
    Migrate {
        #[arg(long, help = h("cli-migrate-check"))]
        check: bool,
    },
    #[command(about = h("cli-facility"), subcommand)]
    Facility(FacilityCommand),
    #[command(about = h("cli-user"), subcommand)]
    User(UserCommand),
    #[command(about = h("cli-import"), subcommand)]
    Import(ImportCommand),
    #[command(about = h("cli-feeds"), subcommand)]
    Feeds(FeedsCommand),
    #[command(about = h("cli-export"), subcommand)]
    Export(ExportCommand),
    #[command(about = h("cli-vulns"))]
    Vulns {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-checklist"))]
    #[command(args_conflicts_with_subcommands = true)]
    Checklist {
        #[command(subcommand)]
        action: Option<ChecklistCommand>,
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: Option<String>,
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(long, help = h("cli-checklist-out"), value_name = "FILE.xlsx")]
        out: Option<std::path::PathBuf>,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-review"))]
    Review {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-review-since"), value_name = "DATE")]
        since: Option<String>,
        #[arg(long, help = h("cli-review-keep"), value_name = "REVIEWER")]
        keep: Option<String>,
        #[arg(long, help = h("cli-review-note"), value_name = "TEXT", requires = "keep")]
        note: Option<String>,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-connections"))]
    Connections {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-accounts"))]
    Accounts {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-assets"))]
    Assets {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-products"), subcommand)]
    Products(ProductsCommand),
    #[command(about = h("cli-audit"), subcommand)]
    Audit(AuditCommand),
    #[command(about = h("cli-backup"), subcommand)]
    Backup(BackupCommand),
    #[command(about = h("cli-playbook"), subcommand)]
    Playbook(PlaybookCommand),
    #[command(about = h("cli-bcp"), subcommand)]
    Bcp(BcpCommand),
    #[command(about = h("cli-backups"))]
    Backups {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(name = "config", about = h("cli-config-cmd"), subcommand)]
    Config(ConfigCommand),
}

#[derive(Debug, Args)]
pub struct BindArgs {
    #[arg(long, env = "MAMORI_BIND", hide_env_values = true, help = h("cli-bind"), value_name = "ADDR:PORT")]
    pub bind: Option<String>,
    #[arg(long, help = h("cli-tls-cert"), value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    #[arg(long, help = h("cli-tls-key"), value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum FacilityCommand {
    #[command(about = h("cli-facility-add"))]
    Add {
        #[arg(help = h("cli-facility-short"), value_name = "SHORT")]
        short: String,
        #[arg(long, help = h("cli-facility-name"))]
        name: String,
        #[arg(long, default_value = "clinic", help = h("cli-facility-kind"))]
        kind: String,
        #[arg(long, help = h("cli-facility-beds"))]
        beds: Option<String>,
        #[arg(long, help = h("cli-facility-prefecture"))]
        prefecture: Option<String>,
    },
    #[command(about = h("cli-facility-list"))]
    List(FormatArgs),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    #[command(about = h("cli-user-add"))]
    Add {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-user-role"))]
        role: String,
        #[arg(long, help = h("cli-user-email"))]
        email: String,
        #[arg(long, help = h("cli-user-name"))]
        name: Option<String>,
        #[arg(long, help = h("cli-user-vendor"))]
        vendor: Option<String>,
    },
    #[command(about = h("cli-user-list"))]
    List(FormatArgs),
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    #[command(about = h("cli-import-ledger"))]
    Ledger {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(help = h("cli-file"), value_name = "FILE")]
        file: PathBuf,
        #[arg(long, help = h("cli-dry-run"))]
        dry_run: bool,
    },
    #[command(about = h("cli-import-software"))]
    Software {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-import-software-device"), value_name = "DEVICE")]
        device: String,
        #[arg(help = h("cli-file"), value_name = "FILE")]
        file: PathBuf,
        #[arg(long, help = h("cli-dry-run"))]
        dry_run: bool,
    },
    #[command(about = h("cli-import-roster"))]
    Roster {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(help = h("cli-file"), value_name = "FILE")]
        file: PathBuf,
        #[arg(long, help = h("cli-dry-run"))]
        dry_run: bool,
    },
    #[command(about = h("cli-import-accounts"))]
    Accounts {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-import-accounts-system"), value_name = "DEVICE_OR_WAY_IN")]
        system: String,
        #[arg(long, value_enum, default_value_t = AccountsFormat::Auto, help = h("cli-import-accounts-format"))]
        format: AccountsFormat,
        #[arg(help = h("cli-import-accounts-files"), value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
        #[arg(long, help = h("cli-dry-run"))]
        dry_run: bool,
    },
    #[command(about = h("cli-import-nmap"))]
    Nmap {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(help = h("cli-file"), value_name = "FILE.xml")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    #[command(about = h("cli-checklist-versions"))]
    Versions,
    #[command(about = h("cli-checklist-print"))]
    Print {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        sheet: SheetArgs,
        #[arg(long, help = h("cli-checklist-print-out"), value_name = "FILE.pdf")]
        out: std::path::PathBuf,
    },
    #[command(about = h("cli-checklist-evaluate"))]
    Evaluate {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        sheet: SheetArgs,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-checklist-compare"))]
    Compare {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-checklist-compare-from"), value_name = "YEAR")]
        from: Option<i32>,
        #[arg(long, help = h("cli-checklist-compare-to"), value_name = "YEAR")]
        to: Option<i32>,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-checklist-import-version"))]
    ImportVersion {
        #[arg(help = h("cli-checklist-import-file"), value_name = "FILE")]
        file: PathBuf,
        #[arg(long, help = h("cli-checklist-import-yes"))]
        yes: bool,
        #[arg(long, help = h("cli-checklist-import-base"), value_name = "KEY")]
        version: Option<String>,
        #[arg(long, help = h("cli-checklist-import-out"), value_name = "FILE.toml")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    #[command(about = h("cli-feeds-import"))]
    Import {
        #[arg(help = h("cli-file"), value_name = "FILE", required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    #[command(about = h("cli-export-ledger"))]
    Ledger {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(help = h("cli-file"), value_name = "FILE.xlsx")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProductsCommand {
    #[command(about = h("cli-products-list"))]
    List {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[command(flatten)]
        format: FormatArgs,
    },
    #[command(about = h("cli-products-bind"))]
    Bind {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-import-software-device"), value_name = "DEVICE")]
        device: String,
        #[arg(help = h("cli-products-product"), value_name = "VENDOR:PRODUCT")]
        product: String,
    },
    #[command(about = h("cli-products-unbind"))]
    Unbind {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-import-software-device"), value_name = "DEVICE")]
        device: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    #[command(about = h("cli-audit-verify"))]
    Verify {
        #[arg(long, help = h("cli-audit-verify-checkpoint"), value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    #[command(about = h("cli-audit-checkpoint"))]
    Checkpoint {
        #[arg(long, help = h("cli-audit-checkpoint-out"), value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum BackupCommand {
    #[command(about = h("cli-backup-manifest"))]
    Manifest {
        #[arg(help = h("cli-backup-dir"), value_name = "DIR")]
        dir: PathBuf,
        #[arg(long, help = h("cli-backup-out"), value_name = "FILE")]
        out: PathBuf,
    },
    #[command(about = h("cli-backup-log"))]
    Log {
        #[arg(help = h("cli-backup-log-file"), value_name = "FILE")]
        file: PathBuf,
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-backup-system"), value_name = "DEVICE")]
        system: String,
        #[arg(long, help = h("cli-backup-log-medium"), value_name = "MEDIUM")]
        medium: Option<String>,
    },
    #[command(about = h("cli-backup-verify"))]
    Verify {
        #[arg(help = h("cli-backup-dir"), value_name = "DIR")]
        dir: PathBuf,
        #[arg(long, help = h("cli-backup-manifest-file"), value_name = "FILE")]
        manifest: PathBuf,
        #[arg(long, help = h("cli-backup-facility"), value_name = "F")]
        facility: Option<String>,
        #[arg(long, requires = "facility", help = h("cli-backup-system"), value_name = "DEVICE")]
        system: Option<String>,
        #[arg(long, requires = "system", help = h("cli-backup-minutes"), value_name = "N")]
        minutes: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlaybookCommand {
    #[command(about = h("cli-playbook-print"))]
    Print {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-checklist-print-out"), value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum BcpCommand {
    #[command(about = h("cli-bcp-print"))]
    Print {
        #[arg(long, help = h("cli-user-facility"), value_name = "F")]
        facility: String,
        #[arg(long, help = h("cli-checklist-print-out"), value_name = "FILE.pdf")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    #[command(about = h("cli-config-example"))]
    Example,
}

/// Which checklist sheet: a version by key, or the one of a fiscal year (the current one when
/// neither is given).
#[derive(Debug, Args)]
pub struct SheetArgs {
    #[arg(long, help = h("cli-checklist-version"), value_name = "KEY", conflicts_with = "fiscal_year")]
    pub version: Option<String>,
    #[arg(long, help = h("cli-checklist-fiscal-year"), value_name = "YEAR")]
    pub fiscal_year: Option<i32>,
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value_t = Format::Table, help = h("cli-format"))]
    pub format: Format,
}

/// The shape of an account list (`auto`: recognised from the contents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccountsFormat {
    Auto,
    NetUser,
    Localgroup,
    AdCsv,
    LocalCsv,
    Fortigate,
    Csv,
}

impl AccountsFormat {
    pub fn forced(self) -> Option<ingest::accounts::Format> {
        use ingest::accounts::Format as F;
        match self {
            Self::Auto => None,
            Self::NetUser => Some(F::NetUser),
            Self::Localgroup => Some(F::LocalGroup),
            Self::AdCsv => Some(F::AdCsv),
            Self::LocalCsv => Some(F::LocalCsv),
            Self::Fortigate => Some(F::FortiGate),
            Self::Csv => Some(F::Template),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
