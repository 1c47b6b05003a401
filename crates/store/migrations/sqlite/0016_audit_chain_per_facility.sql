-- An audit chain per facility, and one (chain 0) for the deployment's own events: users,
-- feeds, regions. A write locks only its chain's head, so writers of different facilities
-- never wait for each other. Records are numbered from 1 in their chain, without gaps.
--
-- The single chain of before (audit_head, audit_record) is converted when Mamori next opens
-- the database with its key (the hashes need it): verified, resealed chain by chain, and
-- emptied; the conversion is itself a record of chain 0, with the old chain's head.

CREATE TABLE audit_chain (
    chain BIGINT NOT NULL PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_chain (chain, seq, hash)
VALUES (0, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- No foreign key to facility: the audit trail outlives what it describes.
CREATE TABLE audit_log (
    chain BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    facility_id BIGINT,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id TEXT NOT NULL,
    summary TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX audit_log_object ON audit_log (chain, object_kind, object_id);

-- Signed heads of every chain (see `mamori audit checkpoint`). A copy kept here lets
-- `audit verify` find rewound chains without a file; a file kept elsewhere survives someone
-- who can also delete these rows.
CREATE TABLE audit_checkpoint (
    id INTEGER PRIMARY KEY,
    at BIGINT NOT NULL,
    body TEXT NOT NULL,
    signature TEXT NOT NULL
);
