package chatroom.web;

import chatroom.Guests;
import chatroom.client.RequestSource;
import chatroom.client.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * The handshake: refuses foreign origins (403, no session), and hands the endpoint who is connecting (the signed-in
 * account's name, else the nickname bound to the HttpSession; never anything the client says) and where it wants to
 * resume from.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {
    private static final System.Logger LOG = System.getLogger(HandshakeConfigurator.class.getName());
    static final String USER = "chat.user";
    static final String SINCE = "chat.since";
    /** The client's key ({@code chatroom.client.ClientKey}): what its budgets and connection cap count by. */
    static final String ADDRESS = "chat.address";
    /** The room asked for ({@code ?room=}), as given: the endpoint checks it and answers a bad one. */
    static final String ROOM = "chat.room";
    /** Boolean.TRUE when the container signed the person in ({@code USER} is then their principal's name). */
    static final String SIGNED_IN = "chat.signedIn";
    /** Boolean.TRUE when the person signed in has the role {@value #MODERATOR_ROLE}. */
    static final String MODERATOR = "chat.moderator";
    static final String MODERATOR_ROLE = "chat-moderator";

    /**
     * Refuses foreign origins, guests where {@code chat.guests} is {@code none}, and clients that already hold
     * {@code chat.connections.perAddress} connections: all with 403, the one refusal both containers let a
     * configurator give (see the README, "Abuse and limits").
     */
    @Override
    public boolean checkOrigin(String origin) {
        RequestSource source = RequestHost.current();
        ChatApplication.Services services = ChatApplication.services();
        if (!services.origins().permits(origin, source == null ? null : source.host())) {
            return false;
        }
        if (services.settings().guests() == Guests.NONE && !signedIn(RequestHost.currentRequest())) {
            return false;
        }
        if (source != null && !services.rooms().admits(source.client())) {
            LOG.log(System.Logger.Level.DEBUG, () -> "refused a connection from " + source.client()
                    + ": it holds chat.connections.perAddress already");
            return false;
        }
        if (source != null && services.moderation().barredAddress(source.client()) && !isModerator()) {
            LOG.log(System.Logger.Level.DEBUG, () -> "refused a connection from " + source.client() + ": banned");
            return false;
        }
        return true;
    }

    /** Moderators are never held by an address ban (they share addresses with whoever they ban in a test, or a NAT). */
    private static boolean isModerator() {
        HttpServletRequest request = RequestHost.currentRequest();
        return request != null && request.isUserInRole(MODERATOR_ROLE);
    }

    private static boolean signedIn(HttpServletRequest request) {
        return request != null && Account.of(request) != null;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        // Tomcat and Jetty give each handshake its own copy of the user properties; still, set or clear every key
        // so nothing of an earlier handshake could ever leak into this one.
        Map<String, Object> properties = config.getUserProperties();
        HttpSession session = request.getHttpSession() instanceof HttpSession given ? given : null;
        Account account = Account.of(request);
        put(properties, USER, Account.chatName(account, ChatApplication.services(), session));
        properties.put(SIGNED_IN, account != null);
        properties.put(MODERATOR, account != null && account.moderator());
        RequestSource source = RequestHost.current(); // the client, as TrustedProxies decides it
        put(properties, ADDRESS, source == null ? null : source.client());
        put(properties, SINCE, parameter(request, "since"));
        put(properties, ROOM, parameter(request, "room"));
    }

    private static String parameter(HandshakeRequest request, String name) {
        List<String> values = request.getParameterMap().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void put(Map<String, Object> properties, String key, String value) {
        if (value == null) {
            properties.remove(key);
        } else {
            properties.put(key, value);
        }
    }
}
