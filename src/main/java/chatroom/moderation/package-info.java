/** What moderators do to keep a room clean (delete, purge, kick, mute, ban, room rules), kept and enforced. */
package chatroom.moderation;
