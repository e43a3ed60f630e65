/** Accepted messages in a database (SQLite file or the container's PostgreSQL): schema, group commit, retention. */
package chatroom.store;
