//! The ingest crate's integration tests: its parsers against files no one here wrote.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

extern crate mamori_ingest as ingest;

mod hostile;
