-- Documents kept as evidence for a checklist item (辞令, MDS/SDS, a BCP …): numbered per
-- facility, the file itself in the evidence folder under its SHA-256 (checked again when it is
-- read), with the dates it is valid from and until (when it was true, not when it was typed
-- in). `vendor` names whose document it is, for items asked per vendor.
CREATE TABLE evidence (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    number BIGINT NOT NULL,
    topic TEXT NOT NULL,
    vendor TEXT,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    valid_from TEXT,
    valid_until TEXT,
    uploaded_by BIGINT REFERENCES app_user (id),
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (facility_id, number)
);
