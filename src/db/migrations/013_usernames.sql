-- 013_usernames: a username names one account whatever its letter case (issue 13). Before,
-- `Admin` and `admin` could be two accounts, and a login typed with a capital (a phone's
-- auto-capitalisation) missed. Login now looks names up case-insensitively through this index.
-- lower() folds ASCII letters (SQLite's does nothing else; names here are ASCII in practice).
--
-- Existing clashes: the oldest account (lowest id) keeps its name; each later one becomes
-- `name#id` and is listed in username_renames, so an administrator can tell its owner the new
-- login (`SELECT * FROM username_renames`). Passwords, sessions and roles are untouched.
CREATE TABLE username_renames (
    user_id      INTEGER NOT NULL REFERENCES users(id),
    old_username TEXT NOT NULL,
    new_username TEXT NOT NULL,
    renamed_at   TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO username_renames (user_id, old_username, new_username)
SELECT u.id, u.username, u.username || '#' || u.id FROM users u
 WHERE EXISTS (SELECT 1 FROM users o WHERE lower(o.username) = lower(u.username) AND o.id < u.id);

UPDATE users SET username = username || '#' || id
 WHERE id IN (SELECT user_id FROM username_renames);

CREATE UNIQUE INDEX users_username_lower ON users (lower(username));
