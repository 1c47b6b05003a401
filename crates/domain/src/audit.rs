//! The audit chain: every write to Mamori appends one `AuditRecord`, and each record's hash
//! covers the previous record's hash, so that an edit, a deletion or a reordering of stored
//! records is detectable offline.
//!
//! `hash = HMAC-SHA256(key, prev_hash || canonical(record))`. The key is a deployment secret
//! kept outside the database, so someone who can only write to the database cannot recompute
//! the chain after tampering. The canonical encoding is a fixed-order, length-prefixed binary
//! layout (never a serialisation whose field order could vary).

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::facility::FacilityId;
use crate::timestamp::Timestamp;

pub const HASH_LEN: usize = 32;
pub type Hash = [u8; HASH_LEN];
/// The `prev_hash` of the first record.
pub const GENESIS: Hash = [0; HASH_LEN];

/// The deployment secret that keys the chain. Its `Debug` never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey([u8; 32]);

impl AuditKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        AuditKey(bytes)
    }

    /// Parses the key file's content: 64 hexadecimal digits, surrounding whitespace allowed.
    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = from_hex(text.trim())?;
        <[u8; 32]>::try_from(bytes).ok().map(AuditKey)
    }

    pub fn to_hex(&self) -> String {
        to_hex(&self.0)
    }

    /// A key for another purpose (`purpose` names it), derived from this one: the secrets
    /// Mamori keeps in the database are sealed with keys that live only in the key file.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return [0; 32];
        };
        mac.update(b"mamori-derived-key-v1:");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A short, public identifier of the key, stored in the database so that a wrong key file
    /// is reported as such instead of as tampering of every record.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"mamori-audit-key-fingerprint-v1");
        h.update(self.0);
        to_hex(&h.finalize()[..8])
    }
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AuditKey(<redacted>, fingerprint {})",
            self.fingerprint()
        )
    }
}

/// What a service records about one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub facility: Option<FacilityId>,
    pub actor: String,
    /// A stable code such as `facility.create`.
    pub action: String,
    pub object_kind: String,
    pub object_id: String,
    /// Before/after summary as JSON text; hashed exactly as stored.
    pub summary: String,
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub seq: i64,
    pub at: Timestamp,
    pub entry: AuditEntry,
    pub prev_hash: Hash,
    pub hash: Hash,
}

impl AuditRecord {
    /// Seals `entry` as record number `seq`, following the record whose hash is `prev_hash`.
    pub fn seal(
        key: &AuditKey,
        seq: i64,
        at: Timestamp,
        entry: AuditEntry,
        prev_hash: Hash,
    ) -> Self {
        let hash = chain_hash(key, seq, at, &entry, &prev_hash);
        AuditRecord {
            seq,
            at,
            entry,
            prev_hash,
            hash,
        }
    }
}

fn chain_hash(key: &AuditKey, seq: i64, at: Timestamp, e: &AuditEntry, prev: &Hash) -> Hash {
    // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key.0) else {
        return GENESIS;
    };
    mac.update(prev);
    mac.update(&canonical(seq, at, e));
    mac.finalize().into_bytes().into()
}

/// The fixed layout that is hashed: a version tag, then every field in order, integers as
/// 8-byte big-endian, strings as an 8-byte length followed by their UTF-8 bytes.
fn canonical(seq: i64, at: Timestamp, e: &AuditEntry) -> Vec<u8> {
    fn field(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u64).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    let mut out = Vec::with_capacity(128 + e.summary.len());
    out.extend_from_slice(b"mamori-audit-v1\0");
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&at.unix_millis().to_be_bytes());
    match e.facility {
        None => out.push(0),
        Some(f) => {
            out.push(1);
            out.extend_from_slice(&f.0.to_be_bytes());
        }
    }
    for s in [
        &e.actor,
        &e.action,
        &e.object_kind,
        &e.object_id,
        &e.summary,
    ] {
        field(&mut out, s);
    }
    out
}

/// Why the chain is broken at a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakKind {
    /// The record's content (or its number) no longer matches its hash: it was edited.
    Altered,
    /// Records before this one are missing: numbers jump from `expected` to this record.
    Missing { expected: i64 },
    /// The record does not follow the one before it: a record was deleted, replaced or moved.
    Unlinked,
    /// The record's number is lower than the one before it: records were reordered.
    Reordered,
    /// The newest records are missing: the chain ends before the recorded head.
    TailMissing { head_seq: i64 },
}

/// The first place where verification failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: i64,
    pub kind: BreakKind,
}

/// Checks records one at a time, in the order stored, so that a chain of any length is
/// verified in constant memory.
#[derive(Debug)]
pub struct ChainVerifier<'k> {
    key: &'k AuditKey,
    next_seq: i64,
    prev: Hash,
    checked: u64,
}

impl<'k> ChainVerifier<'k> {
    pub fn new(key: &'k AuditKey) -> Self {
        ChainVerifier {
            key,
            next_seq: 1,
            prev: GENESIS,
            checked: 0,
        }
    }

    pub fn check(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        let fail = |kind| Err(ChainBreak { seq: r.seq, kind });
        if r.seq < self.next_seq {
            return fail(BreakKind::Reordered);
        }
        if r.seq > self.next_seq {
            return fail(BreakKind::Missing {
                expected: self.next_seq,
            });
        }
        if chain_hash(self.key, r.seq, r.at, &r.entry, &r.prev_hash) != r.hash {
            return fail(BreakKind::Altered);
        }
        if r.prev_hash != self.prev {
            return fail(BreakKind::Unlinked);
        }
        self.next_seq += 1;
        self.prev = r.hash;
        self.checked += 1;
        Ok(())
    }

    /// Ends verification against the chain head the store keeps (`seq`, `hash` of the last
    /// record appended), which detects deletion of the newest records.
    pub fn finish(self, head_seq: i64, head_hash: &Hash) -> Result<u64, ChainBreak> {
        let last = self.next_seq - 1;
        if head_seq > last {
            return Err(ChainBreak {
                seq: self.next_seq,
                kind: BreakKind::TailMissing { head_seq },
            });
        }
        if head_seq < last || (last > 0 && *head_hash != self.prev) {
            return Err(ChainBreak {
                seq: last,
                kind: BreakKind::Unlinked,
            });
        }
        Ok(self.checked)
    }
}

pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect()
}

/// Parses a stored 64-digit hash.
pub fn hash_from_hex(s: &str) -> Option<Hash> {
    from_hex(s).and_then(|v| Hash::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> AuditKey {
        AuditKey::from_bytes([7; 32])
    }

    fn entry(i: i64) -> AuditEntry {
        AuditEntry {
            facility: (i % 2 == 0).then_some(FacilityId(i)),
            actor: "cli:root".into(),
            action: "facility.create".into(),
            object_kind: "facility".into(),
            object_id: i.to_string(),
            summary: format!(r#"{{"after":{{"name":"クリニック{i}"}}}}"#),
        }
    }

    fn chain(n: i64) -> Vec<AuditRecord> {
        let k = key();
        let mut prev = GENESIS;
        (1..=n)
            .map(|seq| {
                let r = AuditRecord::seal(
                    &k,
                    seq,
                    Timestamp::from_unix_millis(seq * 1000),
                    entry(seq),
                    prev,
                );
                prev = r.hash;
                r
            })
            .collect()
    }

    fn verify(records: &[AuditRecord], head: (i64, Hash)) -> Result<u64, ChainBreak> {
        let k = key();
        let mut v = ChainVerifier::new(&k);
        for r in records {
            v.check(r)?;
        }
        v.finish(head.0, &head.1)
    }

    fn head(records: &[AuditRecord]) -> (i64, Hash) {
        records.last().map_or((0, GENESIS), |r| (r.seq, r.hash))
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, head(&c)), Ok(5));
        assert_eq!(verify(&[], (0, GENESIS)), Ok(0));
    }

    #[test]
    fn wrong_key_fails_on_first_record() {
        let c = chain(3);
        let other = AuditKey::from_bytes([8; 32]);
        let mut v = ChainVerifier::new(&other);
        assert_eq!(
            v.check(&c[0]),
            Err(ChainBreak {
                seq: 1,
                kind: BreakKind::Altered
            })
        );
        assert_ne!(other.fingerprint(), key().fingerprint());
    }

    #[test]
    fn deletion_in_the_middle_is_found() {
        let mut c = chain(5);
        let h = head(&c);
        c.remove(2);
        assert_eq!(
            verify(&c, h),
            Err(ChainBreak {
                seq: 4,
                kind: BreakKind::Missing { expected: 3 }
            })
        );
    }

    #[test]
    fn deletion_at_the_end_is_found() {
        let mut c = chain(5);
        let h = head(&c);
        c.pop();
        assert_eq!(
            verify(&c, h),
            Err(ChainBreak {
                seq: 5,
                kind: BreakKind::TailMissing { head_seq: 5 }
            })
        );
    }

    #[test]
    fn renumbered_swap_is_found() {
        // Swap records 2 and 3 and renumber them so the sequence looks continuous.
        let mut c = chain(4);
        let h = head(&c);
        c.swap(1, 2);
        c[1].seq = 2;
        c[2].seq = 3;
        assert_eq!(
            verify(&c, h),
            Err(ChainBreak {
                seq: 2,
                kind: BreakKind::Altered
            })
        );
    }

    #[test]
    fn out_of_order_is_found() {
        let mut c = chain(4);
        let h = head(&c);
        c.swap(1, 2);
        assert_eq!(
            verify(&c, h),
            Err(ChainBreak {
                seq: 3,
                kind: BreakKind::Missing { expected: 2 }
            })
        );
        let r = c.remove(1);
        c.push(r);
        assert_eq!(
            verify(&c[1..], h).map_err(|b| b.kind),
            Err(BreakKind::Missing { expected: 1 })
        );
    }

    #[test]
    fn key_hex_round_trip_and_redaction() {
        let k = key();
        assert_eq!(
            AuditKey::from_hex(&format!(" {}\n", k.to_hex())),
            Some(k.clone())
        );
        assert_eq!(AuditKey::from_hex("abcd"), None);
        assert!(!format!("{k:?}").contains(&k.to_hex()));
    }

    proptest! {
        /// Any change of any single byte of any text field of any record is detected.
        #[test]
        fn any_single_edit_is_found(idx in 0usize..6, field in 0usize..5, pos in 0usize..64, byte in 0u8..128) {
            let mut c = chain(6);
            let h = head(&c);
            let e = &mut c[idx].entry;
            let s = match field { 0 => &mut e.actor, 1 => &mut e.action, 2 => &mut e.object_kind, 3 => &mut e.object_id, _ => &mut e.summary };
            let mut bytes = s.clone().into_bytes();
            let p = pos % (bytes.len() + 1);
            if p == bytes.len() { bytes.push(byte) } else if bytes[p] == byte { bytes.remove(p); } else { bytes[p] = byte }
            if let Ok(t) = String::from_utf8(bytes) { *s = t; } else { return Ok(()); }
            let result = verify(&c, h);
            prop_assert_eq!(result, Err(ChainBreak { seq: idx as i64 + 1, kind: BreakKind::Altered }));
        }

        #[test]
        fn any_deletion_is_found(idx in 0usize..6) {
            let mut c = chain(6);
            let h = head(&c);
            c.remove(idx);
            prop_assert!(verify(&c, h).is_err());
        }
    }
}
