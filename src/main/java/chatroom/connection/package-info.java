/** One socket: its outbound queue with at most one async send in flight, and its close after that send. */
package chatroom.connection;
