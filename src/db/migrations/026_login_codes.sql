-- 026_login_codes: logging in with a one-time code sent to the resident's phone through the
-- outbox (issue 16, docs/resident-loop.md "Logging in with a one-time code"), and the
-- settings of the outbox's delivery worker (api/outbox_worker.c, domain/outbox_policy.c).
--
-- One row per code request, also for a phone no account has (code_hash NULL, nothing sent):
-- the per-phone limits then answer an unknown phone exactly as a known one, so the limits
-- tell nobody who is registered. Only a keyed hash of the code is kept (auth/login_code.c);
-- rows older than a day are pruned when the next code is asked for.
CREATE TABLE login_codes (
    id          INTEGER PRIMARY KEY,
    phone       TEXT NOT NULL,
    code_hash   TEXT,                    -- NULL: no resident account has this phone
    created_at  INTEGER NOT NULL,        -- Unix seconds
    expires_at  INTEGER NOT NULL,
    failures    INTEGER NOT NULL DEFAULT 0,
    used_at     INTEGER
);
CREATE INDEX login_codes_phone ON login_codes(phone, created_at);
CREATE INDEX login_codes_created ON login_codes(created_at);

-- The delivery worker: give up after 8 failed attempts (the dead-letter state); wait 2 s x
-- 2^failures (at most an hour, with jitter) between attempts; hold everything but one-time
-- codes from 21:00 to 08:00 China time (the same start and end: no quiet hours).
INSERT INTO settings (key, value) VALUES
    ('outbox_max_attempts', '8'), ('outbox_backoff_seconds', '2'),
    ('outbox_quiet_start', '21:00'), ('outbox_quiet_end', '08:00');
