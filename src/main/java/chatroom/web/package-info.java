/** The webapp's edge: start and stop, the WebSocket endpoint and handshake, the servlets and filters. */
package chatroom.web;
