-- Whether each device was checked against the vulnerability records at the last evaluation,
-- and if not, why (`identify::Reason`) and the candidate products a person may choose from
-- (`vendor:product`, separated by spaces). Derived from the ledger, the feeds and the product
-- bindings at each evaluation: rewritten, not audited.
CREATE TABLE device_check (
    asset_id BIGINT NOT NULL PRIMARY KEY REFERENCES asset (id),
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    state TEXT NOT NULL CHECK (state IN ('checked', 'not-checked')),
    product TEXT NOT NULL,
    how TEXT NOT NULL,
    reason TEXT NOT NULL,
    candidates TEXT NOT NULL
);
CREATE INDEX device_check_facility ON device_check (facility_id, asset_id);

-- The product (CPE vendor and product) a person confirmed for a maker and model of the
-- facility: it applies to every device of that maker and model, now and in later imports.
-- The keys are the maker and model folded to letters and digits (`identify::binding_key`).
CREATE TABLE product_binding (
    facility_id BIGINT NOT NULL REFERENCES facility (id),
    maker_key TEXT NOT NULL,
    model_key TEXT NOT NULL,
    maker TEXT NOT NULL,
    model TEXT NOT NULL,
    vendor TEXT NOT NULL,
    product TEXT NOT NULL,
    bound_by TEXT NOT NULL,
    bound_at BIGINT NOT NULL,
    PRIMARY KEY (facility_id, maker_key, model_key)
);
