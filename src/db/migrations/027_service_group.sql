-- 027_service_group: the resident in the loop (issue 16, docs/resident-loop.md): reminders of
-- due and overdue tasks, the team's service group (pushed content with read receipts) and
-- consultations between a resident and their team. Every message these cause to a person
-- is an outbox row (025) written in the same transaction.

-- One reminder per task per stage (days from the due date: -3 before, 0 on the day, 7 late).
CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    stage       INTEGER NOT NULL,
    sent_on     TEXT NOT NULL,                -- the day the pass wrote it (YYYY-MM-DD)
    outbox_id   INTEGER REFERENCES outbox(id),
    county_code TEXT NOT NULL,
    UNIQUE (task_id, stage)
);
CREATE INDEX reminders_sent ON reminders(sent_on);
CREATE INDEX reminders_resident ON reminders(resident_id);
INSERT INTO settings (key, value) VALUES ('reminder_stages', '-3,0,7');

-- A task that closes (done or cancelled, by whichever path: a follow-up recorded, a
-- contract renewed, an outreach call, a death) takes back the reminders not sent yet, in the
-- transaction that closes it: the same change as store_outbox_cancel('task', id).
CREATE TRIGGER tasks_close_cancels_reminders AFTER UPDATE OF status ON tasks
WHEN OLD.status = 'open' AND NEW.status <> 'open'
BEGIN
    UPDATE outbox SET status = 'cancelled'
     WHERE source_kind = 'task' AND source_id = NEW.id AND status IN ('pending', 'failed');
END;

-- The team's service group: structured content pushed to its signed residents, or to those
-- of a programme, a population class or a grid cell.
CREATE TABLE content_items (
    id               INTEGER PRIMARY KEY,
    team_id          INTEGER NOT NULL REFERENCES teams(id),
    kind             TEXT NOT NULL CHECK (kind IN ('article','package','notice')),
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    audience_program TEXT,
    audience_class   INTEGER CHECK (audience_class IN (1,2,3)),
    audience_cell    TEXT REFERENCES regions(code),
    recipients       INTEGER NOT NULL DEFAULT 0,
    published_by     INTEGER REFERENCES users(id),
    published_at     TEXT NOT NULL,           -- UTC, YYYY-MM-DDTHH:MM:SSZ
    county_code      TEXT NOT NULL
);
CREATE INDEX content_items_team ON content_items(team_id, published_at);

-- Who it went to and when each first read it (the read receipt; later reads change nothing).
CREATE TABLE content_recipients (
    content_id  INTEGER NOT NULL REFERENCES content_items(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    read_at     TEXT,
    PRIMARY KEY (content_id, resident_id)
);
CREATE INDEX content_recipients_resident ON content_recipients(resident_id);

-- A question of a resident to their team: open (waiting for the team), answered (the team
-- spoke last), closed (resolved). first_response_at is the team's first reply.
CREATE TABLE consultations (
    id                INTEGER PRIMARY KEY,
    resident_id       INTEGER NOT NULL REFERENCES residents(id),
    team_id           INTEGER NOT NULL REFERENCES teams(id),
    subject           TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','answered','closed')),
    created_by        INTEGER REFERENCES users(id),
    created_at        TEXT NOT NULL,
    waiting_since     TEXT,                   -- the resident's oldest unanswered message
    first_response_at TEXT,
    first_response_by INTEGER REFERENCES users(id),
    closed_at         TEXT,
    closed_by         INTEGER REFERENCES users(id),
    county_code       TEXT NOT NULL
);
CREATE INDEX consultations_team ON consultations(team_id, status, created_at);
CREATE INDEX consultations_resident ON consultations(resident_id, created_at);

CREATE TABLE consultation_messages (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    author_user_id  INTEGER REFERENCES users(id),
    author_kind     TEXT NOT NULL CHECK (author_kind IN ('resident','staff')),
    author_name     TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX consultation_messages_thread ON consultation_messages(consultation_id, id);
