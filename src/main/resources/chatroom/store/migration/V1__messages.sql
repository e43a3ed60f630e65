-- Accepted chat messages, one row each, keyed by the room-wide id (assigned before the insert, never by the
-- database, so every node and engine agrees on it). Plain SQL that SQLite and PostgreSQL read alike.
CREATE TABLE chat_message (
    id     BIGINT  NOT NULL PRIMARY KEY,
    sender VARCHAR NOT NULL,
    text   VARCHAR NOT NULL,
    ts     BIGINT  NOT NULL,
    cid    VARCHAR
);
