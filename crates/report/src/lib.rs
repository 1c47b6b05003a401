//! Exports in the shapes clinics keep: the ledger and the checklist's answers as Excel
//! workbooks; the checklist, BCP and incident playbook as PDF later. Takes domain values,
//! returns bytes; no I/O.

pub mod checklist;
pub mod ledger;
