-- 006_indicators: the events the service indicators count (encounters, referrals,
-- satisfaction answers) and the incremental indicator counters (PROTOCOLS.md §11).

-- One visit of a resident to any institution (fed by the HIS or entered at the clinic).
-- institution_id is NULL for a hospital outside the grid; in_county says where it was.
CREATE TABLE encounters (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents(id),
    encounter_date  TEXT NOT NULL,
    institution_id  INTEGER REFERENCES institutions(id),
    primary_care    INTEGER NOT NULL CHECK (primary_care IN (0, 1)),
    in_county       INTEGER NOT NULL CHECK (in_county IN (0, 1)),
    team_id         INTEGER REFERENCES teams(id),   -- the family-doctor team that saw them, if any
    staff_id        INTEGER REFERENCES staff(id),
    chronic_program TEXT CHECK (chronic_program IN ('hypertension','diabetes')), -- chronic diagnosis seen
    county_code     TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX encounters_resident ON encounters(resident_id, encounter_date);

CREATE TABLE referrals (
    id                  INTEGER PRIMARY KEY,
    resident_id         INTEGER NOT NULL REFERENCES residents(id),
    referred_on         TEXT NOT NULL,
    direction           TEXT NOT NULL CHECK (direction IN ('up','down')),
    from_institution_id INTEGER REFERENCES institutions(id),
    to_institution_id   INTEGER REFERENCES institutions(id),
    reason              TEXT,
    county_code         TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX referrals_resident ON referrals(resident_id, referred_on);

-- 5 very satisfied, 4 satisfied, 3 neutral, 2 dissatisfied, 1 very dissatisfied.
CREATE TABLE satisfaction_answers (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    answered_on TEXT NOT NULL,
    team_id     INTEGER REFERENCES teams(id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    county_code TEXT NOT NULL
);
CREATE INDEX satisfaction_resident ON satisfaction_answers(resident_id, answered_on);

-- Numerator and denominator of each indicator per period and scope key ("r:" region code,
-- "t:" team, "d:" doctor, "i:" institution), kept exact by kpi/ in the same transaction as
-- the write that changes them.
CREATE TABLE kpi_counters (
    period TEXT NOT NULL,
    scope  TEXT NOT NULL,
    code   TEXT NOT NULL,
    num    INTEGER NOT NULL,
    den    INTEGER NOT NULL,
    PRIMARY KEY (period, scope, code)
) WITHOUT ROWID;

-- Values as they stood when a period closed: what was reported stays what was reported.
CREATE TABLE kpi_closings (
    period    TEXT NOT NULL,
    scope     TEXT NOT NULL,
    code      TEXT NOT NULL,
    num       INTEGER NOT NULL,
    den       INTEGER NOT NULL,
    closed_on TEXT NOT NULL,
    PRIMARY KEY (period, scope, code)
) WITHOUT ROWID;

-- Each day's values of the open year for the county, townships, teams and institutions:
-- the trend lines of days, which cannot be recomputed later for a date already past.
CREATE TABLE kpi_snapshots (
    taken_on TEXT NOT NULL,
    scope    TEXT NOT NULL,
    code     TEXT NOT NULL,
    num      INTEGER NOT NULL,
    den      INTEGER NOT NULL,
    PRIMARY KEY (scope, code, taken_on)
) WITHOUT ROWID;

-- The date the open periods' counters are "as of"; empty until the first build.
INSERT INTO settings (key, value) VALUES ('kpi_as_of', ''), ('kpi_years', '2'),
    ('kpi_renewal_days', '30');

-- Every change to an indicator's inputs names its resident to kpi_touch() before it
-- happens, so kpi/ can take that resident's contribution out and put the new one back.
CREATE TRIGGER kpi_residents_upd BEFORE UPDATE ON residents BEGIN SELECT kpi_touch(OLD.id); END;
CREATE TRIGGER kpi_residents_del BEFORE DELETE ON residents BEGIN SELECT kpi_touch(OLD.id); END;
-- A new resident has no id before the insert and no contribution yet.
CREATE TRIGGER kpi_residents_ins AFTER INSERT ON residents BEGIN SELECT kpi_touch_new(NEW.id); END;
CREATE TRIGGER kpi_health_records_ins BEFORE INSERT ON health_records BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_health_records_upd BEFORE UPDATE ON health_records BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_health_records_del BEFORE DELETE ON health_records BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_contracts_ins BEFORE INSERT ON contracts BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_contracts_upd BEFORE UPDATE ON contracts BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_contracts_del BEFORE DELETE ON contracts BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_enrolments_ins BEFORE INSERT ON enrolments BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_enrolments_upd BEFORE UPDATE ON enrolments BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_enrolments_del BEFORE DELETE ON enrolments BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_followups_ins BEFORE INSERT ON followups BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_followups_upd BEFORE UPDATE ON followups BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_followups_del BEFORE DELETE ON followups BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_pregnancies_ins BEFORE INSERT ON pregnancies BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_pregnancies_upd BEFORE UPDATE ON pregnancies BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_pregnancies_del BEFORE DELETE ON pregnancies BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_encounters_ins BEFORE INSERT ON encounters BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_encounters_upd BEFORE UPDATE ON encounters BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_encounters_del BEFORE DELETE ON encounters BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_referrals_ins BEFORE INSERT ON referrals BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_referrals_upd BEFORE UPDATE ON referrals BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_referrals_del BEFORE DELETE ON referrals BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_satisfaction_answers_ins BEFORE INSERT ON satisfaction_answers BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_satisfaction_answers_upd BEFORE UPDATE ON satisfaction_answers BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_satisfaction_answers_del BEFORE DELETE ON satisfaction_answers BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_entitlements_ins BEFORE INSERT ON entitlements BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = NEW.contract_id)); END;
CREATE TRIGGER kpi_entitlements_upd BEFORE UPDATE ON entitlements BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = OLD.contract_id)), kpi_touch((SELECT resident_id FROM contracts WHERE id = NEW.contract_id)); END;
CREATE TRIGGER kpi_entitlements_del BEFORE DELETE ON entitlements BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = OLD.contract_id)); END;
CREATE TRIGGER kpi_deliveries_ins BEFORE INSERT ON deliveries BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = NEW.contract_id)); END;
CREATE TRIGGER kpi_deliveries_upd BEFORE UPDATE ON deliveries BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = OLD.contract_id)), kpi_touch((SELECT resident_id FROM contracts WHERE id = NEW.contract_id)); END;
CREATE TRIGGER kpi_deliveries_del BEFORE DELETE ON deliveries BEGIN SELECT kpi_touch((SELECT resident_id FROM contracts WHERE id = OLD.contract_id)); END;
