-- 007_protocol_lists: the [jiayi] settings that are lists of strings rather than integers
-- (domain/protocol_lists.h: the term lists exam conclusions are read with, and any list a
-- later rule needs). Versioned like protocol_settings: each change is a new row, the newest
-- version of a key wins, and a key with no row reads as its built-in default.
-- Depends only on 001.

CREATE TABLE protocol_lists (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL,
    version    INTEGER NOT NULL CHECK (version > 0),
    value      TEXT NOT NULL,                 -- a JSON array, checked by the API before it is stored
    changed_by INTEGER REFERENCES users(id),
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (key, version)
);
