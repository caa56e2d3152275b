-- 020_idempotency: the answers to writes sent with an Idempotency-Key (API.md), so that a
-- retry with the same key gets the first answer and stores nothing new. A row is written in
-- the same savepoint as the write it answers (api/idempotency.c), so it exists exactly when
-- that write committed. Keys are per user; `request_hash` (SHA-256 of method, path and body)
-- tells a retry from a different request reusing the key. The daily job drops rows older
-- than 48 hours.
CREATE TABLE idempotency_keys (
    user_id      INTEGER NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   INTEGER NOT NULL, -- Unix seconds
    PRIMARY KEY (user_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
