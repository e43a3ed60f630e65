/** What goes over the socket: the two protocols, parsing what clients send, frames encoded once for all. */
package chatroom.wire;
