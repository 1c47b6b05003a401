-- A ledger file between its preview and the person's confirmation. Kept for at most an hour,
-- and only the person who uploaded it can confirm it, in the facility it was uploaded to.

CREATE TABLE pending_import (
    token_hash TEXT NOT NULL PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    user_id BIGINT NOT NULL REFERENCES app_user (id),
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
