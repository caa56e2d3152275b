-- 039_sickbeds: family sickbeds (家庭病床, issue 19; seeds 003 and 004: 建床, 巡诊, 撤床). A
-- team admits a patient who needs hospital-level care at home; a doctor or nurse makes the
-- scheduled rounds, each a home visit; the team discharges the bed with its outcome. One open
-- bed a person.
CREATE TABLE sickbeds (
    id            INTEGER PRIMARY KEY,
    resident_id   INTEGER NOT NULL REFERENCES residents(id),
    admitted_on   TEXT NOT NULL,
    diagnosis     TEXT NOT NULL,                 -- ICD-10
    reason        TEXT,
    round_days    INTEGER NOT NULL DEFAULT 7 CHECK (round_days BETWEEN 1 AND 30),
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','discharged')),
    discharged_on TEXT,
    outcome       TEXT CHECK (outcome IN ('recovered','improved','referred','died','other')),
    team_id       INTEGER REFERENCES teams(id),
    doctor_id     INTEGER REFERENCES staff(id),
    created_by    INTEGER REFERENCES users(id),
    county_code   TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX sickbeds_resident ON sickbeds(resident_id, admitted_on);
CREATE UNIQUE INDEX sickbeds_open ON sickbeds(resident_id) WHERE status = 'open';

CREATE TABLE sickbed_rounds (
    id           INTEGER PRIMARY KEY,
    sickbed_id   INTEGER NOT NULL REFERENCES sickbeds(id),
    round_date   TEXT NOT NULL,
    encounter_id INTEGER REFERENCES encounters(id),  -- the home visit it was
    staff_id     INTEGER REFERENCES staff(id),
    recorded_by  INTEGER REFERENCES users(id),
    note         TEXT,
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX sickbed_rounds_bed ON sickbed_rounds(sickbed_id, round_date);
