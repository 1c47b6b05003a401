-- What a vendor answered on the 事業者確認用 sheet it returned, item by item, as the facility
-- recorded it (`source` = 'facility'; a vendor answering for itself later is 'vendor'). The
-- vendor is named as in the ledger or the vendor list; `vendor_key` is that name compared
-- (full-width, spacing and case folded). Every recording is kept: the newest per vendor and
-- item is its answer. `sheet_on` is the date the vendor gave on its sheet.
CREATE TABLE vendor_answer (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    version TEXT NOT NULL,
    vendor_key TEXT NOT NULL,
    vendor TEXT NOT NULL,
    topic TEXT NOT NULL,
    seq BIGINT NOT NULL,
    answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'not-applicable')),
    sheet_on TEXT NOT NULL,
    comment TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('facility', 'vendor')),
    recorded_by BIGINT REFERENCES app_user (id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (facility_id, version, vendor_key, topic, seq)
);
