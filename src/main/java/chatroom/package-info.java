/** Every operator setting (ChatSettings, read once at start) and the clock the room reads time from. */
package chatroom;
