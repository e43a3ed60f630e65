/** The message log: where an accepted message gets its id and comes back from, in order (memory, store or Redis). */
package chatroom.log;
