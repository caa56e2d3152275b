-- 018_indicator_targets: the targets the dashboard colours each indicator against, where a
-- deployment departs from the built-in (national) defaults of domain/indicator_targets.c.
-- One row per changed code; a row deleted = back to the default. Changes are audited
-- (resource indicator_targets) in the same transaction.
CREATE TABLE indicator_targets (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    target     REAL NOT NULL,   -- a share 0..1 for rates; a number for counts and per-capita
    changed_by INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
