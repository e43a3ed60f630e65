-- A retried message is recognised by (sender, cid); retention by age deletes by ts. Without these both scan the
-- whole table, which grows for as long as retention keeps everything.
CREATE INDEX chat_message_sender_cid ON chat_message (sender, cid);
CREATE INDEX chat_message_ts ON chat_message (ts);
