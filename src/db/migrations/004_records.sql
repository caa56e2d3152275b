-- 004_records: results that reach the record without re-typing: annual physical exams
-- imported from the exam centre's file, and readings from home devices bound to a resident.

CREATE TABLE exam_imports (
    id            INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,                 -- the file name or the sending institution
    imported_by   INTEGER REFERENCES users(id),  -- NULL: the demo
    rows_total    INTEGER NOT NULL,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    tasks_created INTEGER NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE exam_results (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    exam_date   TEXT NOT NULL,
    import_id   INTEGER REFERENCES exam_imports(id),
    sbp         INTEGER,
    dbp         INTEGER,
    fbg         REAL,     -- mmol/L
    tc          REAL,     -- total cholesterol, mmol/L
    tg          REAL,     -- triglycerides, mmol/L
    ldl         REAL,
    hdl         REAL,
    height_cm   REAL,
    weight_kg   REAL,
    bmi         REAL,
    ecg         TEXT,     -- the conclusion as written
    ultrasound  TEXT,
    abnormal    TEXT NOT NULL DEFAULT '[]',  -- JSON array of codes (domain/screening.c)
    task_id     INTEGER REFERENCES tasks(id),
    county_code TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (resident_id, exam_date)          -- a corrected file replaces the day's results
);
CREATE INDEX exam_results_date ON exam_results(exam_date);

CREATE TABLE devices (
    id            INTEGER PRIMARY KEY,
    resident_id   INTEGER NOT NULL REFERENCES residents(id),
    kind          TEXT NOT NULL CHECK (kind IN ('bp_monitor','glucometer')),
    label         TEXT,
    token_hash    TEXT NOT NULL UNIQUE,      -- BLAKE2b of the token; the token is shown once
    registered_by INTEGER REFERENCES users(id),
    registered_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    revoked_at    TEXT
);
CREATE INDEX devices_resident ON devices(resident_id);

CREATE TABLE observations (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    device_id   INTEGER NOT NULL REFERENCES devices(id),
    observed_at TEXT NOT NULL,               -- ISO 8601 as the device reports it
    sbp         INTEGER,
    dbp         INTEGER,
    heart_rate  INTEGER,
    glucose     REAL,                        -- mmol/L
    level       TEXT NOT NULL CHECK (level IN ('normal','warning','urgent')),
    reason      TEXT,
    task_id     INTEGER REFERENCES tasks(id),
    county_code TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (device_id, observed_at)          -- a device re-sending its memory is not a new reading
);
CREATE INDEX observations_resident ON observations(resident_id, observed_at);
