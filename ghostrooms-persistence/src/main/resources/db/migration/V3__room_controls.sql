-- Room controls (PROTOCOL "Room controls"). One dialect for H2 2.3 (PostgreSQL mode) and
-- PostgreSQL 15+: ADD COLUMN with a constant default rewrites no rows on PostgreSQL 11+.
-- The owner token is a bearer secret: only its SHA-256 (64 hex) is stored, as for session tokens.
-- A room from before this migration has none, and so no owner: every control answers FORBIDDEN.
ALTER TABLE rooms ADD COLUMN owner_token_hash VARCHAR(64);
-- A salted PBKDF2 hash with its parameters ("pbkdf2-sha256$<iterations>$<salt>$<hash>", Base64),
-- NULL when the room has no password. The password itself is never stored.
ALTER TABLE rooms ADD COLUMN password_hash VARCHAR(200);
ALTER TABLE rooms ADD COLUMN locked BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE rooms ADD COLUMN vanish_when_empty BOOLEAN DEFAULT FALSE NOT NULL;
