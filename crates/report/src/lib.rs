//! Exports in the shapes clinics keep: the ledger as an Excel workbook today; the checklist,
//! BCP and incident playbook as PDF later. Takes domain values, returns bytes; no I/O.

pub mod ledger;
