-- 005_groups: chronic-disease self-management groups (慢性病自我管理小组, DESIGN.md §4):
-- a group meets in a village (or a township) and is run by a family-doctor team; residents
-- join and leave it; each activity (date, topic, leader) records who attended.
-- Depends only on 001; numbered 005 so that it applies whatever 004 turns out to be.

CREATE TABLE groups (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    focus        TEXT NOT NULL CHECK (focus IN ('hypertension','diabetes','mixed')),
    region       TEXT NOT NULL REFERENCES regions(code),   -- where it meets: its scope
    team_id      INTEGER REFERENCES teams(id),             -- the team that runs it, if any
    leader_staff INTEGER REFERENCES staff(id),             -- the usual group leader (组长)
    created_by   INTEGER REFERENCES users(id),             -- NULL: the demo
    created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    closed_at    TEXT,
    county_code  TEXT NOT NULL
);
CREATE INDEX groups_region ON groups(region);
CREATE INDEX groups_team ON groups(team_id);

-- A membership is a period; leaving keeps the row so attendance history stays explained.
CREATE TABLE group_members (
    id          INTEGER PRIMARY KEY,
    group_id    INTEGER NOT NULL REFERENCES groups(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    joined_on   TEXT NOT NULL,
    left_on     TEXT
);
CREATE UNIQUE INDEX group_members_active ON group_members(group_id, resident_id) WHERE left_on IS NULL;
CREATE INDEX group_members_resident ON group_members(resident_id);

CREATE TABLE group_activities (
    id            INTEGER PRIMARY KEY,
    group_id      INTEGER NOT NULL REFERENCES groups(id),
    activity_date TEXT NOT NULL,
    topic         TEXT NOT NULL,
    leader_staff  INTEGER REFERENCES staff(id),
    leader_name   TEXT NOT NULL,            -- a staff member's name, or a patient leader's
    note          TEXT,
    member_count  INTEGER NOT NULL,         -- members on the day: the attendance rate's base
    recorded_by   INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX group_activities_group ON group_activities(group_id, activity_date);

CREATE TABLE group_attendance (
    activity_id INTEGER NOT NULL REFERENCES group_activities(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    PRIMARY KEY (activity_id, resident_id)
);
CREATE INDEX group_attendance_resident ON group_attendance(resident_id);
