-- 033_imports: bulk imports of residents and their records from other systems (issue 18,
-- api/imports.c). An import row says what a file did, kept up to date in every chunk's
-- transaction as exam_imports is (014): `stored_to_row` is the file row (the header being 1)
-- up to which every row is kept or was rejected; status 'running' until the last chunk
-- commits ('complete'), 'partial' when a chunk failed after others were kept, 'rejected'
-- when an all-or-nothing import kept nothing. Its rejected rows, with the column and the
-- reason, are in import_rejects. A household named by the file (户编号) keeps that key, so a
-- file sent again, or the next file of the same system, joins the same household.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    source        TEXT NOT NULL,
    file_sha256   TEXT NOT NULL,
    mode          TEXT NOT NULL CHECK (mode IN ('all', 'good')),
    status        TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete', 'partial', 'rejected')),
    rows          INTEGER NOT NULL DEFAULT 0,
    accepted      INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    stored_to_row INTEGER NOT NULL DEFAULT 1,
    user_id       INTEGER REFERENCES users(id),
    started_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    finished_at   TEXT
);
CREATE INDEX imports_user ON imports(user_id, id);

CREATE TABLE import_rejects (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    row       INTEGER NOT NULL,
    field     TEXT,
    code      TEXT NOT NULL,
    PRIMARY KEY (import_id, row)
);

ALTER TABLE households ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX households_import_key ON households(import_key) WHERE import_key IS NOT NULL;
