-- 002_contracts: service packages, contracts, entitlements and their fulfilment (issue 4).
-- A package is versioned: editing one creates a new version; contracts reference the version
-- they signed and copy its items (as entitlements) and fee shares, so they never change.

CREATE TABLE packages (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    current          INTEGER NOT NULL DEFAULT 1,    -- the version on offer
    name_zh          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    tier             TEXT NOT NULL CHECK (tier IN ('basic','primary','intermediate','advanced')),
    type             TEXT NOT NULL CHECK (type IN ('general','hypertension','diabetes','elderly',
                     'maternal_child','disabled','copd','cancer','mental_health','tcm')),
    payment_type     TEXT NOT NULL CHECK (payment_type IN ('government','fixed_price','negotiated')),
    price_fen        INTEGER NOT NULL CHECK (price_fen >= 0),
    min_age          INTEGER,
    max_age          INTEGER,
    required_program TEXT,
    required_class   INTEGER,
    personalised     INTEGER NOT NULL DEFAULT 1,     -- counts toward a village doctor's cap
    institution_id   INTEGER REFERENCES institutions(id), -- NULL: county-wide catalogue
    valid_from       TEXT,
    valid_to         TEXT,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (code, version)
);
CREATE UNIQUE INDEX packages_current ON packages(code) WHERE current = 1;

CREATE TABLE package_items (
    id              INTEGER PRIMARY KEY,
    package_id      INTEGER NOT NULL REFERENCES packages(id),
    service         TEXT NOT NULL,       -- bp_followup, physical_exam, home_visit, ...
    name_zh         TEXT NOT NULL,
    name_en         TEXT NOT NULL,
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    workload_weight REAL NOT NULL DEFAULT 1.0   -- standardised workload per delivery (标化工作量)
);
CREATE INDEX package_items_package ON package_items(package_id);

CREATE TABLE package_fee_rules (
    package_id INTEGER NOT NULL REFERENCES packages(id),
    position   INTEGER NOT NULL,
    payer      TEXT NOT NULL,               -- resident, insurance, city, district, county, public_funds
    kind       TEXT NOT NULL CHECK (kind IN ('percent','fixed')),
    value      INTEGER NOT NULL CHECK (value >= 0),  -- basis points or fen
    PRIMARY KEY (package_id, position)
);

CREATE TABLE contracts (
    id                   INTEGER PRIMARY KEY,
    resident_id          INTEGER NOT NULL REFERENCES residents(id),
    team_id              INTEGER NOT NULL REFERENCES teams(id),
    doctor_id            INTEGER NOT NULL REFERENCES staff(id),
    status               TEXT NOT NULL CHECK (status IN ('scheduled','active','expired','terminated','transferred')),
    channel              TEXT NOT NULL CHECK (channel IN ('centralised','clinic','home_visit','online')),
    start_date           TEXT NOT NULL,
    end_date             TEXT NOT NULL,
    fee_fen              INTEGER NOT NULL,
    district_hospital_id INTEGER REFERENCES institutions(id),  -- 1+1+1
    city_hospital_id     INTEGER REFERENCES institutions(id),
    cross_grid_reason    TEXT,
    previous_id          INTEGER REFERENCES contracts(id),      -- renewal or transfer source
    ended_on             TEXT,
    end_reason           TEXT,
    signed_by            INTEGER REFERENCES users(id),
    signed_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    county_code          TEXT NOT NULL
);
-- One active contract per resident, whatever the interleaving of requests.
CREATE UNIQUE INDEX contracts_one_active ON contracts(resident_id) WHERE status = 'active';
CREATE UNIQUE INDEX contracts_one_scheduled ON contracts(resident_id) WHERE status = 'scheduled';
CREATE INDEX contracts_resident ON contracts(resident_id, start_date);
CREATE INDEX contracts_doctor_status ON contracts(doctor_id, status);
CREATE INDEX contracts_team_status ON contracts(team_id, status, end_date);
CREATE INDEX contracts_previous ON contracts(previous_id);
CREATE INDEX contracts_status_end ON contracts(status, end_date);

CREATE TABLE contract_packages (
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    package_id  INTEGER NOT NULL REFERENCES packages(id),
    PRIMARY KEY (contract_id, package_id)
);

CREATE TABLE contract_shares (
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    payer       TEXT NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (contract_id, payer)
);
-- @postgresql
-- Rows are read back in the order they were written (SQLite's rowid).
ALTER TABLE contract_shares ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
-- @end

CREATE TABLE entitlements (
    id              INTEGER PRIMARY KEY,
    contract_id     INTEGER NOT NULL REFERENCES contracts(id),
    package_item_id INTEGER NOT NULL REFERENCES package_items(id),
    service         TEXT NOT NULL,
    quantity        INTEGER NOT NULL,
    used            INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0)
);
CREATE INDEX entitlements_contract ON entitlements(contract_id);

CREATE TABLE deliveries (
    id             INTEGER PRIMARY KEY,
    entitlement_id INTEGER NOT NULL REFERENCES entitlements(id),
    contract_id    INTEGER NOT NULL REFERENCES contracts(id),
    delivered_on   TEXT NOT NULL,
    staff_id       INTEGER REFERENCES staff(id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    note           TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX deliveries_contract ON deliveries(contract_id);

CREATE TABLE contract_events (
    id          INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts(id),
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    from_status TEXT,
    to_status   TEXT NOT NULL,
    reason      TEXT,
    user_id     INTEGER REFERENCES users(id)
);
CREATE INDEX contract_events_contract ON contract_events(contract_id);

-- Renewal reminders (and later contract work) point at their contract.
ALTER TABLE tasks ADD COLUMN contract_id INTEGER REFERENCES contracts(id);
CREATE INDEX tasks_contract ON tasks(contract_id);
