/** Who a client is (its address, behind trusted proxies) and what it may cost: its budgets and connection cap. */
package chatroom.client;
