-- Mamori's own records linked by hand as evidence of a checklist item (a device, a way in, a
-- finding, a kept monthly review): numbered per facility like the documents, with a note on
-- why it counts. The object is checked to be the facility's when the link is made.
CREATE TABLE evidence_link (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    number BIGINT NOT NULL,
    topic TEXT NOT NULL,
    object_kind TEXT NOT NULL CHECK (object_kind IN ('asset', 'connection_point', 'finding', 'review')),
    object_id BIGINT NOT NULL,
    note TEXT NOT NULL,
    linked_by BIGINT REFERENCES app_user (id),
    linked_at BIGINT NOT NULL,
    PRIMARY KEY (facility_id, number),
    UNIQUE (facility_id, topic, object_kind, object_id)
);
