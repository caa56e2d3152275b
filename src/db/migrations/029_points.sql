-- 029_points: health points (积分换健康, seed 003; docs/resident-loop.md "Health points").
-- Rules award points for healthy actions jiayi records, at most once per event: the ledger is
-- unique on the event key ('followup:42'), so a second award for the same event writes
-- nothing. A redemption takes the item's stock and the resident's balance only where they
-- suffice (conditional UPDATEs in one transaction), so neither goes below zero, also when
-- several processes share one database; the CHECKs are the last line.
CREATE TABLE points_rules (
    event  TEXT PRIMARY KEY CHECK (event IN ('exam_done','followup_attended','vaccination',
           'content_read','group_activity')),
    points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 10000)
);
-- [jiayi] defaults: a check-up is worth most, a read article least (seed 003 names the
-- actions, not the figures; a county sets its own through PUT /points/rules).
INSERT INTO points_rules (event, points) VALUES
    ('exam_done', 50), ('followup_attended', 10), ('vaccination', 20), ('content_read', 2),
    ('group_activity', 10);

-- The balance of each resident who has ever earned points.
CREATE TABLE points_accounts (
    resident_id INTEGER PRIMARY KEY REFERENCES residents(id),
    balance     INTEGER NOT NULL DEFAULT 0 CHECK (balance >= 0),
    earned      INTEGER NOT NULL DEFAULT 0,
    spent       INTEGER NOT NULL DEFAULT 0
);

-- What points buy: an exam package, a TCM therapy session, goods. institution_id: the centre
-- that gives it (a centre admin keeps its own items); county_code: where it is offered.
CREATE TABLE points_items (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('exam_package','tcm_therapy','goods','service')),
    cost           INTEGER NOT NULL CHECK (cost > 0),
    stock          INTEGER NOT NULL CHECK (stock >= 0),
    institution_id INTEGER REFERENCES institutions(id),
    county_code    TEXT NOT NULL,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE points_redemptions (
    id          INTEGER PRIMARY KEY,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    item_id     INTEGER NOT NULL REFERENCES points_items(id),
    cost        INTEGER NOT NULL,
    redeemed_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    county_code TEXT NOT NULL,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX points_redemptions_resident ON points_redemptions(resident_id, redeemed_on);

-- Every change of a balance: an award (points > 0, event = the rule) or a redemption
-- (points < 0, event 'redemption'), with the balance after it.
CREATE TABLE points_ledger (
    id            INTEGER PRIMARY KEY,
    resident_id   INTEGER NOT NULL REFERENCES residents(id),
    event         TEXT NOT NULL,
    event_key     TEXT NOT NULL UNIQUE,
    points        INTEGER NOT NULL,
    balance_after INTEGER,
    occurred_on   TEXT NOT NULL,
    redemption_id INTEGER REFERENCES points_redemptions(id),
    county_code   TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX points_ledger_resident ON points_ledger(resident_id, occurred_on);
