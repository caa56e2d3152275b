-- 036_tb: tuberculosis patients in primary care (PROTOCOLS.md section 14, domain/tb.c). The
-- county TB institution's notice opens a case for the patient's team (one open case a
-- person); each visit records the doses due and taken since the last one, what the doctor
-- found and what followed; the closing assessment ends the case with its outcome.
CREATE TABLE tb_cases (
    id               INTEGER PRIMARY KEY,
    resident_id      INTEGER NOT NULL REFERENCES residents(id),
    notified_on      TEXT NOT NULL,              -- the notice of the county TB institution
    notified_by      TEXT,                       -- who sent it (通知单位)
    treatment_start  TEXT NOT NULL,
    intensive_months INTEGER NOT NULL DEFAULT 2 CHECK (intensive_months BETWEEN 1 AND 24),
    course_months    INTEGER NOT NULL DEFAULT 6 CHECK (course_months BETWEEN 1 AND 36),
    supervision      TEXT NOT NULL CHECK (supervision IN ('medical','family','volunteer','e_pillbox','self')),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
    closed_on        TEXT,
    outcome          TEXT CHECK (outcome IN ('cured','completed','failed','died','lost','transferred')),
    missed_reported_on TEXT,                     -- more than a week of doses missed: reported then
    team_id          INTEGER REFERENCES teams(id),
    doctor_id        INTEGER REFERENCES staff(id),
    created_by       INTEGER REFERENCES users(id),
    county_code      TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX tb_cases_resident ON tb_cases(resident_id, notified_on);
CREATE UNIQUE INDEX tb_cases_open ON tb_cases(resident_id) WHERE status = 'open';

CREATE TABLE tb_visits (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES tb_cases(id),
    resident_id      INTEGER NOT NULL REFERENCES residents(id),
    visit_date       TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('first','routine','closing')),
    mode             TEXT NOT NULL CHECK (mode IN ('home_visit','clinic','phone')),
    phase            TEXT NOT NULL CHECK (phase IN ('intensive','continuation')),
    supervision      TEXT NOT NULL,
    doses_due        INTEGER NOT NULL DEFAULT 0 CHECK (doses_due >= 0),
    doses_taken      INTEGER NOT NULL DEFAULT 0 CHECK (doses_taken >= 0 AND doses_taken <= doses_due),
    adverse_reaction INTEGER NOT NULL DEFAULT 0,
    worsening        INTEGER NOT NULL DEFAULT 0,
    action           TEXT NOT NULL,
    reasons          TEXT NOT NULL DEFAULT '[]',
    next_due         TEXT,
    note             TEXT,
    staff_id         INTEGER REFERENCES staff(id),
    recorded_by      INTEGER REFERENCES users(id),
    county_code      TEXT NOT NULL,
    created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX tb_visits_case ON tb_visits(case_id, visit_date);

-- tb_mgmt_rate and tb_regular_medication_rate (PROTOCOLS.md section 15) count the cases.
CREATE TRIGGER kpi_tb_cases_ins BEFORE INSERT ON tb_cases BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_tb_cases_upd BEFORE UPDATE ON tb_cases BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_tb_cases_del BEFORE DELETE ON tb_cases BEGIN SELECT kpi_touch(OLD.resident_id); END;
CREATE TRIGGER kpi_tb_visits_ins BEFORE INSERT ON tb_visits BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_tb_visits_upd BEFORE UPDATE ON tb_visits BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_tb_visits_del BEFORE DELETE ON tb_visits BEGIN SELECT kpi_touch(OLD.resident_id); END;
