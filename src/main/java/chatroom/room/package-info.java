/** The room: its members under one lock, the fan-out of accepted messages and presence, resume, housekeeping. */
package chatroom.room;
