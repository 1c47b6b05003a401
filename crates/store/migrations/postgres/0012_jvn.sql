-- JVN iPedia entries, once per deployment, as Mamori read them (domain::jvn::JvnEntry as
-- JSON), with JVN's last-modified time: an older copy never replaces a newer one.

CREATE TABLE jvn_entry (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    record TEXT NOT NULL,
    modified TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);
