-- 022_slots: specialist slots released to family doctors (issue 15, docs/hospital-loop.md
-- "Slots and bookings"). A hospital has departments; a schedule is one doctor's session on one
-- day and creates its slots; a release rule (per hospital, a department's overriding it) says
-- which share of each session is kept for family doctors and how many days ahead each side may
-- book (domain/slot_release.c decides, once, when the session is published: a slot carries
-- who it was released to and the first day each side may book it). A booking holds one place
-- of a slot for a signed resident; `slots.booked` counts the places held, raised only by a
-- guarded UPDATE inside the booking's transaction, so a slot is never over-booked.
--
-- A booking uses up the contract's priority_booking entitlement (event `booking` of
-- domain/entitlement_use.c): deliveries.source_kind gains 'booking'. SQLite cannot change a
-- CHECK constraint in place, so deliveries is rebuilt as 019 rebuilt institutions (rows back
-- with the same ids, its indexes and indicator triggers re-created).
-- @sqlite
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE deliveries_022 AS
    SELECT id, entitlement_id, contract_id, delivered_on, staff_id, quantity, note, created_at,
           source_kind, source_id FROM deliveries;
DROP TABLE deliveries;
CREATE TABLE deliveries (
    id             INTEGER PRIMARY KEY,
    entitlement_id INTEGER NOT NULL REFERENCES entitlements(id),
    contract_id    INTEGER NOT NULL REFERENCES contracts(id),
    delivered_on   TEXT NOT NULL,
    staff_id       INTEGER REFERENCES staff(id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    note           TEXT,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    source_kind    TEXT CHECK (source_kind IN ('followup','exam','encounter','group_attendance','booking')),
    source_id      INTEGER
);
INSERT INTO deliveries (id, entitlement_id, contract_id, delivered_on, staff_id, quantity, note,
                        created_at, source_kind, source_id)
    SELECT id, entitlement_id, contract_id, delivered_on, staff_id, quantity, note, created_at,
           source_kind, source_id FROM deliveries_022 ORDER BY id;
DROP TABLE deliveries_022;
CREATE INDEX deliveries_contract ON deliveries(contract_id);
CREATE UNIQUE INDEX deliveries_source ON deliveries(source_kind, source_id, entitlement_id)
    WHERE source_kind IS NOT NULL;
CREATE TRIGGER kpi_deliveries_ins BEFORE INSERT ON deliveries BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = NEW.contract_id)); END;
CREATE TRIGGER kpi_deliveries_upd BEFORE UPDATE ON deliveries BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = OLD.contract_id)), kpi_touch((SELECT resident_id FROM contracts WHERE id = NEW.contract_id)); END;
CREATE TRIGGER kpi_deliveries_del BEFORE DELETE ON deliveries BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = OLD.contract_id)); END;
-- @end
-- @postgresql
ALTER TABLE deliveries DROP CONSTRAINT deliveries_source_kind_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_source_kind_check
    CHECK (source_kind IN ('followup','exam','encounter','group_attendance','booking'));
-- @end

CREATE TABLE hospital_departments (
    id             INTEGER PRIMARY KEY,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    code           TEXT NOT NULL,              -- cardiology, endocrinology, ... (per hospital)
    name_zh        TEXT NOT NULL,              -- 心血管内科
    name_en        TEXT NOT NULL,
    UNIQUE (institution_id, code)
);

-- department_id NULL: the hospital's rule; a department's row overrides it.
CREATE TABLE slot_release_rules (
    id               INTEGER PRIMARY KEY,
    institution_id   INTEGER NOT NULL REFERENCES institutions(id),
    department_id    INTEGER REFERENCES hospital_departments(id),
    family_share     INTEGER NOT NULL CHECK (family_share BETWEEN 0 AND 100),
    family_lead_days INTEGER NOT NULL CHECK (family_lead_days BETWEEN 0 AND 365),
    public_lead_days INTEGER NOT NULL CHECK (public_lead_days BETWEEN 0 AND 365),
    CHECK (family_lead_days >= public_lead_days)
);
CREATE UNIQUE INDEX slot_release_rules_key ON slot_release_rules(institution_id, ifnull(department_id, 0));

CREATE TABLE schedules (
    id             INTEGER PRIMARY KEY,
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    department_id  INTEGER NOT NULL REFERENCES hospital_departments(id),
    doctor_name    TEXT NOT NULL,
    staff_id       INTEGER REFERENCES staff(id),
    day            TEXT NOT NULL,              -- YYYY-MM-DD
    start_time     TEXT NOT NULL,              -- HH:MM
    end_time       TEXT NOT NULL,
    slot_minutes   INTEGER NOT NULL CHECK (slot_minutes > 0),
    capacity       INTEGER NOT NULL CHECK (capacity > 0),  -- per slot
    created_by     INTEGER REFERENCES users(id),
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX schedules_hospital ON schedules(institution_id, day);

-- family_from / public_from: the first day (YYYY-MM-DD) family doctors / the public may book;
-- a public slot's family_from is its public_from (family doctors book what the public may).
CREATE TABLE slots (
    id             INTEGER PRIMARY KEY,
    schedule_id    INTEGER NOT NULL REFERENCES schedules(id),
    institution_id INTEGER NOT NULL REFERENCES institutions(id),
    department_id  INTEGER NOT NULL REFERENCES hospital_departments(id),
    starts_at      TEXT NOT NULL,              -- YYYY-MM-DDTHH:MM, local time
    capacity       INTEGER NOT NULL CHECK (capacity > 0),
    booked         INTEGER NOT NULL DEFAULT 0 CHECK (booked >= 0 AND booked <= capacity),
    released_to    TEXT NOT NULL CHECK (released_to IN ('family_doctors','public')),
    family_from    TEXT NOT NULL,
    public_from    TEXT NOT NULL
);
CREATE INDEX slots_hospital_time ON slots(institution_id, starts_at);
CREATE INDEX slots_department_time ON slots(department_id, starts_at);
CREATE INDEX slots_time ON slots(starts_at);
CREATE INDEX slots_schedule ON slots(schedule_id);

CREATE TABLE bookings (
    id               INTEGER PRIMARY KEY,
    slot_id          INTEGER NOT NULL REFERENCES slots(id),
    resident_id      INTEGER NOT NULL REFERENCES residents(id),
    team_id          INTEGER REFERENCES teams(id),     -- the contract's team that booked
    booked_by        INTEGER REFERENCES users(id),
    status           TEXT NOT NULL DEFAULT 'booked'
                     CHECK (status IN ('booked','cancelled','attended','no_show')),
    referral_id      INTEGER,                          -- referrals(id); no foreign key (023 rebuilds it)
    rescheduled_from INTEGER REFERENCES bookings(id),
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX bookings_slot ON bookings(slot_id);
CREATE INDEX bookings_resident ON bookings(resident_id);
CREATE INDEX bookings_team ON bookings(team_id);
-- One resident holds a slot once.
CREATE UNIQUE INDEX bookings_held ON bookings(slot_id, resident_id) WHERE status = 'booked';
