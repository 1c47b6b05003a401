-- NVD CVE records, once per deployment, kept as the JSON they came in (read again by the
-- parser when devices are evaluated).

CREATE TABLE nvd_record (
    id TEXT NOT NULL PRIMARY KEY,
    record TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);
