/** What the nodes of one room share through Redis: the client, the presence bus, the worker thread. */
package chatroom.cluster;
