-- Rooms: every message belongs to one. Messages stored before rooms existed belong to the default room
-- (chat.rooms.default when this migration ran). Ids stay unique in the whole table: one sequence for every room,
-- so each room's ids are strictly increasing (with gaps where other rooms talked).
ALTER TABLE chat_message ADD COLUMN room VARCHAR NOT NULL DEFAULT '${defaultRoom}';
-- A room's history, its scrollback and its newest messages are all read by (room, id).
CREATE INDEX chat_message_room_id ON chat_message (room, id);
-- Retried messages are recognised in memory (the writer's window of client ids), never by a query.
DROP INDEX chat_message_sender_cid;
