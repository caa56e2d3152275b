-- 003_programs: follow-ups evaluated by the protocol engine (PROTOCOLS.md §3-§8) and the
-- [jiayi] protocol settings, versioned (each change a new row; the newest per key wins).

CREATE TABLE protocol_settings (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    value      INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    changed_by INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (key, version)
);

CREATE TABLE followups (
    id              INTEGER PRIMARY KEY,
    resident_id     INTEGER NOT NULL REFERENCES residents(id),
    program         TEXT NOT NULL CHECK (program IN ('hypertension','diabetes','smd','elderly','child','maternal')),
    visit_date      TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('clinic','home_visit','phone','device')),
    staff_id        INTEGER REFERENCES staff(id),
    recorded_by     INTEGER REFERENCES users(id),   -- NULL: imported (the demo, exam files)
    sbp             INTEGER,
    dbp             INTEGER,
    fbg             REAL,
    heart_rate      INTEGER,
    temperature     REAL,
    danger_level    INTEGER,
    weight_kg       REAL,
    findings        TEXT NOT NULL DEFAULT '[]',   -- JSON array of finding codes
    medications     TEXT NOT NULL DEFAULT '[]',   -- JSON array of {name, dose, frequency}
    details         TEXT,                         -- JSON: self-care answers, risk factors, ...
    classification  TEXT,                         -- chronic programs; the elderly colour
    action          TEXT,
    next_due        TEXT,
    result          TEXT NOT NULL,                -- the engine's whole answer, JSON
    uncontrolled    INTEGER NOT NULL DEFAULT 0,   -- counts toward "in a row"
    emergency       INTEGER NOT NULL DEFAULT 0,
    task_id         INTEGER REFERENCES tasks(id), -- the next task it created
    note            TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    county_code     TEXT NOT NULL
);
CREATE INDEX followups_resident ON followups(resident_id, program, visit_date);
CREATE INDEX followups_program_date ON followups(program, visit_date);
CREATE INDEX tasks_resident_kind ON tasks(resident_id, kind, program, status);
