-- The seed's earlier ChatBackEnd API (PROTOCOL "Legacy events"). One dialect for H2 2.3
-- (PostgreSQL mode) and PostgreSQL 15+.
-- A legacy room is an ordinary room (its expiry, its end, its cascade) with a UUID id of the old
-- API: legacy_id. Token rooms have none, so neither API can address the other's rooms. Several
-- NULLs are allowed by a unique constraint on both databases.
ALTER TABLE rooms ADD COLUMN legacy_id VARCHAR(36);
ALTER TABLE rooms ADD CONSTRAINT rooms_legacy_id_uq UNIQUE (legacy_id);

-- A legacy user: the client's own id (the old API lets the client choose it) and a display name.
-- It lives as long as a room it is in, or its connection; nothing else about it is kept.
CREATE TABLE legacy_users (
    id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    username   VARCHAR(40)              NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Membership of a legacy user in a legacy room (the old API's RoomUser). Deleted with its room
-- (cascade, so the room-end machinery needs no legacy step for rows) or with its user.
CREATE TABLE legacy_room_users (
    id        VARCHAR(36)              NOT NULL PRIMARY KEY,
    room_id   BIGINT                   NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id   VARCHAR(64)              NOT NULL REFERENCES legacy_users (id) ON DELETE CASCADE,
    joined_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT legacy_room_users_uq UNIQUE (room_id, user_id)
);
CREATE INDEX legacy_room_users_user_idx ON legacy_room_users (user_id);

-- The sender of a legacy message (a message row like any other, stored by the same writer). No
-- foreign key: a message outlives its sender's user row while its room lives (the user left and
-- was deleted), and keeps the username it was sent under in messages.nickname.
ALTER TABLE messages ADD COLUMN legacy_user_id VARCHAR(64);
