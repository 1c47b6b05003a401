//! The audit chains: every write to Mamori appends one `AuditRecord` to a chain — one chain per
//! facility, and one for the deployment's own events (users, feeds, regions) — and each
//! record's hash covers the previous record's hash in its chain, so that an edit, a deletion
//! or a reordering of stored records is detectable offline. Writers of different facilities
//! never wait for each other.
//!
//! `hash = HMAC-SHA256(key, prev_hash || canonical(record))`, the canonical form naming the
//! chain, so that a record cannot be moved from one chain to another. The key is a deployment secret
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

/// Which chain a record belongs to: a facility's, or the deployment's (`None`).
pub type Chain = Option<FacilityId>;

/// The number a chain is stored under: the facility's id, 0 for the deployment's own chain
/// (facility ids start at 1).
pub fn chain_number(chain: Chain) -> i64 {
    chain.map_or(0, |f| f.0)
}

/// The chain stored under `number` (see [`chain_number`]).
pub fn chain_of(number: i64) -> Chain {
    (number != 0).then_some(FacilityId(number))
}

/// A stored audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub chain: Chain,
    /// The record's number in its chain, from 1 with no gaps.
    pub seq: i64,
    pub at: Timestamp,
    pub entry: AuditEntry,
    pub prev_hash: Hash,
    pub hash: Hash,
}

impl AuditRecord {
    /// Seals `entry` as record number `seq` of `chain`, following the record whose hash is
    /// `prev_hash`.
    pub fn seal(
        key: &AuditKey,
        chain: Chain,
        seq: i64,
        at: Timestamp,
        entry: AuditEntry,
        prev_hash: Hash,
    ) -> Self {
        let hash = chain_hash(key, Version::PerChain(chain), seq, at, &entry, &prev_hash);
        AuditRecord {
            chain,
            seq,
            at,
            entry,
            prev_hash,
            hash,
        }
    }
}

/// The two layouts records were sealed with: the single chain of the whole deployment
/// (before 2026-12, read only to convert it) and the chain per facility.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Single,
    PerChain(Chain),
}

impl AuditRecord {
    /// Seals `entry` in the layout of the deployment's single chain of before chains per
    /// facility: kept to verify and convert such a chain (and to build one in tests).
    pub fn seal_single(
        key: &AuditKey,
        seq: i64,
        at: Timestamp,
        entry: AuditEntry,
        prev_hash: Hash,
    ) -> Self {
        let hash = chain_hash(key, Version::Single, seq, at, &entry, &prev_hash);
        AuditRecord {
            chain: None,
            seq,
            at,
            entry,
            prev_hash,
            hash,
        }
    }
}

fn chain_hash(
    key: &AuditKey,
    version: Version,
    seq: i64,
    at: Timestamp,
    e: &AuditEntry,
    prev: &Hash,
) -> Hash {
    // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key.0) else {
        return GENESIS;
    };
    mac.update(prev);
    mac.update(&canonical(version, seq, at, e));
    mac.finalize().into_bytes().into()
}

/// The fixed layout that is hashed: a version tag (and the chain), then every field in order,
/// integers as 8-byte big-endian, strings as an 8-byte length followed by their UTF-8 bytes.
fn canonical(version: Version, seq: i64, at: Timestamp, e: &AuditEntry) -> Vec<u8> {
    fn field(out: &mut Vec<u8>, s: &str) {
        out.extend_from_slice(&(s.len() as u64).to_be_bytes());
        out.extend_from_slice(s.as_bytes());
    }
    let mut out = Vec::with_capacity(136 + e.summary.len());
    match version {
        Version::Single => out.extend_from_slice(b"mamori-audit-v1\0"),
        Version::PerChain(chain) => {
            out.extend_from_slice(b"mamori-audit-v2\0");
            out.extend_from_slice(&chain_number(chain).to_be_bytes());
        }
    }
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
    /// A signed checkpoint saw the chain up to record `checkpoint_seq`; it now ends before
    /// that (records were deleted and the head rewound, or the whole chain removed).
    Rewound { checkpoint_seq: i64 },
    /// Record `seq` is not the record a signed checkpoint saw under that number (records were
    /// deleted, the head rewound, and new records written since).
    NotAsCheckpointed,
    /// When the single chain of before was converted into chains per facility, it was already
    /// broken at its record `seq` (the conversion record, sealed then, says so).
    BrokenBeforeConversion,
    /// A chain's head row is gone while its records remain.
    HeadMissing,
}

/// The first place where verification of a chain failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainBreak {
    pub chain: Chain,
    pub seq: i64,
    pub kind: BreakKind,
}

/// Checks the records of one chain one at a time, in the order stored, so that a chain of any
/// length is verified in constant memory.
#[derive(Debug)]
pub struct ChainVerifier<'k> {
    key: &'k AuditKey,
    version: Version,
    chain: Chain,
    next_seq: i64,
    prev: Hash,
    checked: u64,
    /// What a signed checkpoint saw of this chain: its number and hash then.
    checkpoint: Option<(i64, Hash)>,
}

impl<'k> ChainVerifier<'k> {
    pub fn new(key: &'k AuditKey, chain: Chain) -> Self {
        ChainVerifier {
            key,
            version: Version::PerChain(chain),
            chain,
            next_seq: 1,
            prev: GENESIS,
            checked: 0,
            checkpoint: None,
        }
    }

    /// Also checks the chain against what a signed checkpoint saw of it: the record it saw
    /// must still be there, unchanged.
    pub fn against(mut self, checkpoint: Option<&ChainHead>) -> Self {
        self.checkpoint = checkpoint.map(|h| (h.seq, h.hash));
        self
    }

    /// The deployment's single chain as it was sealed before chains per facility.
    pub fn single(key: &'k AuditKey) -> Self {
        ChainVerifier {
            version: Version::Single,
            ..ChainVerifier::new(key, None)
        }
    }

    /// The last record checked: its number and hash.
    pub fn head(&self) -> (i64, Hash) {
        (self.next_seq - 1, self.prev)
    }

    pub fn check(&mut self, r: &AuditRecord) -> Result<(), ChainBreak> {
        let chain = self.chain;
        let fail = |kind| {
            Err(ChainBreak {
                chain,
                seq: r.seq,
                kind,
            })
        };
        if r.chain != self.chain && self.version != Version::Single {
            return fail(BreakKind::Unlinked);
        }
        if r.seq < self.next_seq {
            return fail(BreakKind::Reordered);
        }
        if r.seq > self.next_seq {
            return fail(BreakKind::Missing {
                expected: self.next_seq,
            });
        }
        if chain_hash(self.key, self.version, r.seq, r.at, &r.entry, &r.prev_hash) != r.hash {
            return fail(BreakKind::Altered);
        }
        if r.prev_hash != self.prev {
            return fail(BreakKind::Unlinked);
        }
        if let Some((seq, hash)) = self.checkpoint
            && seq == r.seq
            && hash != r.hash
        {
            return fail(BreakKind::NotAsCheckpointed);
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
                chain: self.chain,
                seq: self.next_seq,
                kind: BreakKind::TailMissing { head_seq },
            });
        }
        if let Some((seq, _)) = self.checkpoint
            && seq > last
        {
            return Err(ChainBreak {
                chain: self.chain,
                seq: self.next_seq,
                kind: BreakKind::Rewound {
                    checkpoint_seq: seq,
                },
            });
        }
        if head_seq < last || (last > 0 && *head_hash != self.prev) {
            return Err(ChainBreak {
                chain: self.chain,
                seq: last,
                kind: BreakKind::Unlinked,
            });
        }
        Ok(self.checked)
    }
}

/// The head of one chain: its newest record's number and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainHead {
    pub chain: Chain,
    pub seq: i64,
    pub hash: Hash,
}

/// The heads of every chain at one moment, as signed by the deployment's checkpoint key
/// (kept outside the database): proof of what existed then, which a person who can only
/// write to the database cannot take back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The audit key's fingerprint: which deployment the checkpoint is of.
    pub deployment: String,
    pub at: Timestamp,
    pub heads: Vec<ChainHead>,
}

impl Checkpoint {
    /// The bytes that are signed: a version tag, the deployment, the time and every head in
    /// chain order, in a fixed length-prefixed layout.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + self.heads.len() * 48);
        out.extend_from_slice(b"mamori-audit-checkpoint-v1\0");
        out.extend_from_slice(&(self.deployment.len() as u64).to_be_bytes());
        out.extend_from_slice(self.deployment.as_bytes());
        out.extend_from_slice(&self.at.unix_millis().to_be_bytes());
        out.extend_from_slice(&(self.heads.len() as u64).to_be_bytes());
        let mut heads = self.heads.clone();
        heads.sort_by_key(|h| chain_number(h.chain));
        for h in heads {
            out.extend_from_slice(&chain_number(h.chain).to_be_bytes());
            out.extend_from_slice(&h.seq.to_be_bytes());
            out.extend_from_slice(&h.hash);
        }
        out
    }

    /// The head the checkpoint saw for `chain`, if it saw that chain.
    pub fn head(&self, chain: Chain) -> Option<&ChainHead> {
        self.heads.iter().find(|h| h.chain == chain)
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
                    None,
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
        let mut v = ChainVerifier::new(&k, None);
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
        let mut v = ChainVerifier::new(&other, None);
        assert_eq!(
            v.check(&c[0]),
            Err(ChainBreak {
                chain: None,
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
                chain: None,
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
                chain: None,
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
                chain: None,
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
                chain: None,
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
    fn a_record_cannot_move_to_another_chain() {
        let k = key();
        let r = AuditRecord::seal(
            &k,
            Some(FacilityId(3)),
            1,
            Timestamp::from_unix_millis(1),
            entry(3),
            GENESIS,
        );
        let mut moved = r.clone();
        moved.chain = Some(FacilityId(4));
        let mut v = ChainVerifier::new(&k, Some(FacilityId(4)));
        assert_eq!(v.check(&moved).map_err(|b| b.kind), Err(BreakKind::Altered));
        let mut v = ChainVerifier::new(&k, Some(FacilityId(3)));
        assert_eq!(v.check(&r), Ok(()));
        assert_eq!(v.head(), (1, r.hash));
        // The same entry sealed in the deployment's chain has another hash.
        let d = AuditRecord::seal(
            &k,
            None,
            1,
            Timestamp::from_unix_millis(1),
            entry(3),
            GENESIS,
        );
        assert_ne!(d.hash, r.hash);
    }

    #[test]
    fn a_checkpoint_finds_a_rewound_chain() {
        let c = chain(5);
        let k = key();
        let seen = ChainHead {
            chain: None,
            seq: 4,
            hash: c[3].hash,
        };
        let run = |records: &[AuditRecord], head: (i64, Hash)| {
            let mut v = ChainVerifier::new(&k, None).against(Some(&seen));
            for r in records {
                v.check(r)?;
            }
            v.finish(head.0, &head.1)
        };
        assert_eq!(run(&c, head(&c)), Ok(5));
        // The newest two deleted and the head rewound: the chain alone looks intact.
        assert_eq!(verify(&c[..3], head(&c[..3])), Ok(3));
        assert_eq!(
            run(&c[..3], head(&c[..3])).map_err(|b| (b.seq, b.kind)),
            Err((4, BreakKind::Rewound { checkpoint_seq: 4 }))
        );
        // Every record deleted and the head zeroed.
        assert_eq!(
            run(&[], (0, GENESIS)).map_err(|b| b.kind),
            Err(BreakKind::Rewound { checkpoint_seq: 4 })
        );
        // Rewound, then new records written under the old numbers.
        let mut other = c[..3].to_vec();
        let mut e = entry(4);
        e.summary = "{}".into();
        let r = AuditRecord::seal(&k, None, 4, Timestamp::from_unix_millis(9), e, c[2].hash);
        other.push(r);
        assert_eq!(
            run(&other, head(&other)).map_err(|b| (b.seq, b.kind)),
            Err((4, BreakKind::NotAsCheckpointed))
        );
    }

    #[test]
    fn checkpoint_bytes_do_not_depend_on_the_order_of_heads() {
        let h = |c: i64, s: i64| ChainHead {
            chain: chain_of(c),
            seq: s,
            hash: [c as u8; 32],
        };
        let a = Checkpoint {
            deployment: "d".into(),
            at: Timestamp::from_unix_millis(1),
            heads: vec![h(0, 3), h(2, 5)],
        };
        let b = Checkpoint {
            heads: vec![h(2, 5), h(0, 3)],
            ..a.clone()
        };
        assert_eq!(a.signed_bytes(), b.signed_bytes());
        let c = Checkpoint {
            heads: vec![h(2, 6), h(0, 3)],
            ..a.clone()
        };
        assert_ne!(a.signed_bytes(), c.signed_bytes());
        assert_eq!(a.head(chain_of(2)).map(|h| h.seq), Some(5));
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
            prop_assert_eq!(result, Err(ChainBreak { chain: None, seq: idx as i64 + 1, kind: BreakKind::Altered }));
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
