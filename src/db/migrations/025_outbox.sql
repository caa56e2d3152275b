-- 025_outbox: every message to a person (a one-time code, a reminder, pushed content, a
-- consultation reply, a booking confirmation, a survey invitation) is a row here, written in
-- the same transaction as its cause (issue 16, docs/resident-loop.md). A delivery worker
-- sends the due rows through the deployment's channel (store/outbox.c, api/outbox_worker.c).
-- `key` names the cause ('reminder:task:42:due'): a second message for the same cause is not
-- written, and the channel receives the key as the idempotency key of every attempt, so a
-- retry after a crash is delivered once.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('otp','reminder','content','consultation',
                    'booking','survey','notice')),
    resident_id     INTEGER REFERENCES residents(id),
    user_id         INTEGER REFERENCES users(id),
    address         TEXT,                     -- the phone the channel sends to
    subject         TEXT,
    body            TEXT NOT NULL,
    source_kind     TEXT,                     -- what caused it (task, content, consultation, ...)
    source_id       INTEGER,
    urgent          INTEGER NOT NULL DEFAULT 0, -- sent in quiet hours too (one-time codes)
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending','sent','delivered','failed','dead','cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,         -- Unix seconds
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    delivered_at    INTEGER,
    county_code     TEXT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_source ON outbox(source_kind, source_id);
CREATE INDEX outbox_resident ON outbox(resident_id, created_at);
