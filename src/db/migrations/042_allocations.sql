-- 042_allocations: the team's income shared among its members (二次分配, issue 19,
-- domain/allocation.c): for a period, the pool the institution gave the team after its
-- assessment and each member's amount, by weight (computed exactly to the fen) or by hand
-- (adding up to the pool). One allocation a team and period.
CREATE TABLE allocations (
    id          INTEGER PRIMARY KEY,
    team_id     INTEGER NOT NULL REFERENCES teams(id),
    period      TEXT NOT NULL,                 -- 2026, 2026-Q3, 2026-H1
    pool_fen    INTEGER NOT NULL CHECK (pool_fen >= 0),
    note        TEXT,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    UNIQUE (team_id, period)
);
CREATE TABLE allocation_shares (
    allocation_id INTEGER NOT NULL REFERENCES allocations(id),
    staff_id      INTEGER NOT NULL REFERENCES staff(id),
    weight        INTEGER,                      -- NULL when the amount was given by hand
    amount_fen    INTEGER NOT NULL CHECK (amount_fen >= 0),
    PRIMARY KEY (allocation_id, staff_id)
);
