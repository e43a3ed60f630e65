package chatroom.client;

/**
 * Where a request comes from and where it was sent, as far as the server may believe it.
 *
 * @param clientAddress the client's IP address: the peer's, or the one a trusted proxy reports
 * @param client        the client's {@link ClientKey}: what every per-client budget, cap and tracker counts by
 * @param host          the Host the browser used (host and port, as in an Origin); null when the request had none
 * @param scheme        {@code http} or {@code https} as the browser used it
 */
public record RequestSource(String clientAddress, String client, String host, String scheme) {
}
