//! Parsers of what users and feeds give Mamori: spreadsheets and CSV ledgers today; feeds,
//! scans and logs later. Each returns domain values or problems that name the sheet, row and
//! column; none touches the database (the service that calls it writes, in one transaction).

pub mod accounts;
pub mod archive;
pub mod backup_log;
pub mod budget;
pub mod checklist_sheet;
pub mod cpe;
pub mod jvn;
pub mod kev;
pub mod ledger;
pub mod nmap;
pub mod nvd;
pub mod points;
pub mod software;
pub mod table;
pub mod unpack;
