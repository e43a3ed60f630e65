-- Moderation: what moderators did and what still holds. Plain SQL that SQLite and PostgreSQL read alike; every
-- write is an upsert or an insert that ignores a row already there, so applying one action twice (several nodes on
-- one database, a node catching up) changes nothing.
-- Whether the container had signed the sender in (their name is their account's): pages mark such names.
ALTER TABLE chat_message ADD COLUMN signed_in INTEGER NOT NULL DEFAULT 0;
-- A deleted message: its row leaves chat_message; this row stays so every read, and an archive that stores the
-- message late, knows it is gone.
CREATE TABLE chat_tombstone (
    id         BIGINT  NOT NULL PRIMARY KEY,
    room       VARCHAR NOT NULL,
    deleted_by VARCHAR NOT NULL,
    deleted_at BIGINT  NOT NULL
);
-- A ban of a name (and its look-alikes) and/or the addresses in chat_ban_address; until_ts 0: for good.
CREATE TABLE chat_ban (
    id        VARCHAR NOT NULL PRIMARY KEY,
    name      VARCHAR,
    reason    VARCHAR,
    banned_by VARCHAR NOT NULL,
    since     BIGINT  NOT NULL,
    until_ts  BIGINT  NOT NULL,
    lifted_at BIGINT
);
CREATE TABLE chat_ban_address (
    ban_id  VARCHAR NOT NULL,
    address VARCHAR NOT NULL,
    PRIMARY KEY (ban_id, address)
);
-- One mute per name, by its primary look-alike key.
CREATE TABLE chat_mute (
    name_key VARCHAR NOT NULL PRIMARY KEY,
    name     VARCHAR NOT NULL,
    reason   VARCHAR,
    muted_by VARCHAR NOT NULL,
    since    BIGINT  NOT NULL,
    until_ts BIGINT  NOT NULL
);
CREATE TABLE chat_room_rules (
    room              VARCHAR NOT NULL PRIMARY KEY,
    slow_mode_seconds INTEGER NOT NULL,
    guests_may_post   INTEGER NOT NULL
);
-- Names of people the container signed in: nobody else may claim them or a look-alike.
CREATE TABLE chat_reserved_name (
    name_key VARCHAR NOT NULL PRIMARY KEY,
    name     VARCHAR NOT NULL,
    since    BIGINT  NOT NULL
);
-- Every moderator action, newest first by id (ids grow with time).
CREATE TABLE chat_audit (
    id        BIGINT  NOT NULL PRIMARY KEY,
    at        BIGINT  NOT NULL,
    moderator VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    target    VARCHAR,
    room      VARCHAR,
    reason    VARCHAR
);
