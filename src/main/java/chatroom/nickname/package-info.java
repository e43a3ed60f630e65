/** Nicknames: what a valid one is, who holds which, and the registry that keeps them unique across nodes. */
package chatroom.nickname;
