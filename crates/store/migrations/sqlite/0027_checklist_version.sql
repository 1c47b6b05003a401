-- Checklist versions an administrator imported (the official wording replacing what shipped,
-- or a new fiscal year): the version file's text as given, after it was checked and its
-- difference shown. An imported key replaces the shipped version of that key.
CREATE TABLE checklist_version (
    key TEXT NOT NULL PRIMARY KEY,
    body TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);
