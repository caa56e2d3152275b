-- 024_prescriptions: the county drug catalogue and prescriptions (issue 15, docs/hospital-loop.md
-- "Drugs and prescriptions").
--
-- The catalogue is versioned as a whole: a new version is a new list (the newest published
-- version is the current one); a prescription keeps the version it was written against, so
-- its items still read as written after the list changes. Prescriptions are ordinary, long
-- (长处方, 4-8 weeks for a stable chronic patient) or extended (延伸处方: continuing a hospital
-- specialist's prescription, which may hold drugs outside the primary-care list), with their
-- delivery (pick-up at a village clinic, or a courier). A follow-up's medication adherence
-- (服药依从性: 规律 / 间断 / 不服药, on the national follow-up forms) is recorded so the long
-- prescription rule can read it.
CREATE TABLE drug_catalogue_versions (
    version      INTEGER PRIMARY KEY,
    published_on TEXT NOT NULL,
    published_by INTEGER REFERENCES users(id),   -- NULL: the demo
    note         TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE drugs (
    id              INTEGER PRIMARY KEY,
    version         INTEGER NOT NULL REFERENCES drug_catalogue_versions(version),
    code            TEXT NOT NULL,
    generic_name    TEXT NOT NULL,             -- 通用名 (zh)
    name_en         TEXT,
    pinyin          TEXT,                      -- initials of the generic name, for search
    dosage_form     TEXT NOT NULL,             -- 片剂, 胶囊, 注射液 ...
    strength        TEXT NOT NULL,             -- "5mg", "0.5g"
    unit            TEXT NOT NULL,             -- the dispensing unit: 片, 粒, 支, 袋
    package         TEXT,                      -- 包装规格: "28片/盒"
    insurance_class TEXT NOT NULL CHECK (insurance_class IN ('A','B','none')), -- 甲 / 乙 / 无
    essential       INTEGER NOT NULL DEFAULT 0,   -- 国家基本药物
    village         INTEGER NOT NULL DEFAULT 0,   -- available at village level
    primary_care    INTEGER NOT NULL DEFAULT 0,   -- on the primary-care (基层) list
    UNIQUE (version, code)
);
CREATE INDEX drugs_version_name ON drugs(version, generic_name);

CREATE TABLE prescriptions (
    id                  INTEGER PRIMARY KEY,
    resident_id         INTEGER NOT NULL REFERENCES residents(id),
    kind                TEXT NOT NULL CHECK (kind IN ('ordinary','long','extended')),
    program             TEXT,
    prescribed_on       TEXT NOT NULL,
    prescriber_id       INTEGER REFERENCES staff(id),   -- NULL: the demo's imported history
    institution_id      INTEGER REFERENCES institutions(id),
    days_supply         INTEGER NOT NULL,
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','completed','cancelled')),
    catalogue_version   INTEGER NOT NULL REFERENCES drug_catalogue_versions(version),
    -- extended: the hospital prescription it continues
    source_institution_id INTEGER REFERENCES institutions(id),
    source_reference    TEXT,
    source_prescriber   TEXT,
    source_date         TEXT,
    referral_id         INTEGER,                     -- no foreign key: referrals change with issue 15
    -- delivery
    delivery_method     TEXT CHECK (delivery_method IN ('pickup','courier')),
    pickup_institution_id INTEGER REFERENCES institutions(id),
    delivery_status     TEXT CHECK (delivery_status IN ('pending','dispatched','delivered','picked_up')),
    dispatched_at       TEXT,
    delivered_at        TEXT,
    picked_up_at        TEXT,
    tracking_number     TEXT,
    created_by          INTEGER REFERENCES users(id),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    county_code         TEXT NOT NULL
);
CREATE INDEX prescriptions_resident ON prescriptions(resident_id, prescribed_on);
CREATE INDEX prescriptions_kind_date ON prescriptions(kind, prescribed_on);

CREATE TABLE prescription_items (
    id              INTEGER PRIMARY KEY,
    prescription_id INTEGER NOT NULL REFERENCES prescriptions(id),
    drug_code       TEXT NOT NULL,
    drug_name       TEXT NOT NULL,         -- the generic name and strength as prescribed
    dose            TEXT NOT NULL,         -- "5"
    unit            TEXT NOT NULL,         -- "mg"
    frequency       TEXT NOT NULL,         -- qd, bid, tid, qid, qn, prn, qw
    route           TEXT NOT NULL DEFAULT 'oral',
    days            INTEGER NOT NULL,
    quantity        INTEGER NOT NULL
);
CREATE INDEX prescription_items_prescription ON prescription_items(prescription_id);

ALTER TABLE followups ADD COLUMN medication_adherence TEXT
    CHECK (medication_adherence IN ('regular','intermittent','none'));
