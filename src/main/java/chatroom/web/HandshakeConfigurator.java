package chatroom.web;

import chatroom.client.RequestSource;
import chatroom.client.TrustedProxies;
import chatroom.nickname.Nicknames;
import jakarta.servlet.http.HttpSession;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * The handshake: refuses foreign origins (403, no session), and hands the endpoint who is connecting (the
 * nickname bound to the HttpSession, never anything the client says) and where it wants to resume from.
 */
public class HandshakeConfigurator extends ServerEndpointConfig.Configurator {
    private static final System.Logger LOG = System.getLogger(HandshakeConfigurator.class.getName());
    static final String USER = "chat.user";
    static final String SINCE = "chat.since";
    /** The client's key ({@code chatroom.client.ClientKey}): what its budgets and connection cap count by. */
    static final String ADDRESS = "chat.address";
    /** The room asked for ({@code ?room=}), as given: the endpoint checks it and answers a bad one. */
    static final String ROOM = "chat.room";

    /**
     * Refuses foreign origins, and clients that already hold {@code chat.connections.perAddress} connections:
     * both with 403, the one refusal both containers let a configurator give (see the README, "Abuse and limits").
     */
    @Override
    public boolean checkOrigin(String origin) {
        RequestSource source = RequestHost.current();
        ChatApplication.Services services = ChatApplication.services();
        if (!services.origins().permits(origin, source == null ? null : source.host())) {
            return false;
        }
        if (source != null && !services.rooms().admits(source.client())) {
            LOG.log(System.Logger.Level.DEBUG, () -> "refused a connection from " + source.client()
                    + ": it holds chat.connections.perAddress already");
            return false;
        }
        return true;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
        // Tomcat and Jetty give each handshake its own copy of the user properties; still, set or clear every key
        // so nothing of an earlier handshake could ever leak into this one.
        Map<String, Object> properties = config.getUserProperties();
        Object httpSession = request.getHttpSession();
        String user = httpSession instanceof HttpSession session ? Nicknames.boundTo(session) : null;
        put(properties, USER, user);
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
