-- 035_vaccinations: the doses of the national immunisation schedule a child was given
-- (PROTOCOLS.md section 13, domain/immunisation.c), one row a dose: recorded by the team
-- (a vaccination at the clinic, or one given elsewhere and copied from the vaccination
-- booklet), read back as the child's immunisation schedule. A dose is recorded once.
CREATE TABLE vaccinations (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    vaccine     TEXT NOT NULL,                 -- hepb, bcg, ... (immunisation.h)
    dose        INTEGER NOT NULL CHECK (dose BETWEEN 1 AND 4),
    given_on    TEXT NOT NULL,
    lot         TEXT,                          -- 批号
    place       TEXT,                          -- where given, when not by the team (接种单位)
    recorded_by INTEGER REFERENCES users(id),
    county_code TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (resident_id, vaccine, dose)
);
-- immunisation_timely_rate (PROTOCOLS.md section 15) counts the doses: the indicator tracker
-- hears of every change, as for the other facts (006_indicators).
CREATE TRIGGER kpi_vaccinations_ins BEFORE INSERT ON vaccinations BEGIN SELECT kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_vaccinations_upd BEFORE UPDATE ON vaccinations BEGIN SELECT kpi_touch(OLD.resident_id), kpi_touch(NEW.resident_id); END;
CREATE TRIGGER kpi_vaccinations_del BEFORE DELETE ON vaccinations BEGIN SELECT kpi_touch(OLD.resident_id); END;
