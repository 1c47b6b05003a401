//! Any bytes as a system's account list (`net user`, `net localgroup`, `net user NAME` in
//! Shift_JIS, UTF-8 or UTF-16; PowerShell or AD CSV; FortiGate config; the template), alone or
//! split into two files of one system, and as a staff roster: the accounts or a problem naming
//! the file, line and column, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = mamori_ingest::accounts::read(&[(data, "accounts.txt")], None);
    let (a, b) = data.split_at(data.len() / 2);
    let _ = mamori_ingest::accounts::read(&[(a, "users.txt"), (b, "admins.txt")], None);
    let _ = mamori_ingest::accounts::roster(data, "roster.csv");
});
