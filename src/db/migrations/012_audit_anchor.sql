-- 012_audit_anchor: audit entries are MACed with a secret key kept outside the database
-- (auth/audit_key.c), and each entry names the key it was MACed with, so that a key can be
-- rotated while older entries stay verifiable. NULL: an entry written before this
-- migration, whose hash is the plain SHA-256 of the chain (still verified, never written).
ALTER TABLE audit_log ADD COLUMN key_id INTEGER;
