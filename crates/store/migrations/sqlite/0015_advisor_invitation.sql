-- A director invites a regional advisor by e-mail; the advisor's access begins only when
-- the advisor, signed in, accepts. The form answers the same whether or not the address
-- has an account, so it tells nobody who uses Mamori.

CREATE TABLE advisor_invitation (
    id INTEGER PRIMARY KEY,
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    email TEXT NOT NULL,
    invited_by BIGINT NOT NULL REFERENCES app_user (id),
    created_at BIGINT NOT NULL,
    accepted_at BIGINT,
    UNIQUE (facility_id, email)
);
CREATE INDEX advisor_invitation_email ON advisor_invitation (email);
