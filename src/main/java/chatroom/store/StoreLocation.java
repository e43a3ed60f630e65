package chatroom.store;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the embedded database lives when {@code chat.store.dir} is not set: inside the container's own base
 * directory when it has one, so it survives restarts and redeploys and belongs to that server instance
 * (backed up with it, not shared with another instance on the host), else in the user's home.
 *
 * <ul>
 *   <li>Tomcat: {@code $CATALINA_BASE/data/chatroom/<context>}</li>
 *   <li>Jetty standalone: {@code $JETTY_BASE/data/chatroom/<context>}</li>
 *   <li>anything else, e.g. {@code mvn jetty:run}: {@code ~/.chatroom/<context>}</li>
 * </ul>
 * {@code <context>} is the context path without its slash ({@code chatroom}), {@code ROOT} for the root context,
 * so two webapps in one container keep separate histories.
 */
public final class StoreLocation {
    private StoreLocation() {
    }

    /**
     * @param configured {@code chat.store.dir}, or null
     * @param contextPath the servlet context path ("" for the root)
     * @param systemProperties how to read a system property (the real ones outside tests)
     */
    public static Path resolve(String configured, String contextPath, Function<String, String> systemProperties) {
        if (configured != null) {
            return Path.of(configured);
        }
        String context = contextPath.isEmpty() ? "ROOT" : contextPath.substring(1).replace('/', '#');
        for (String base : new String[] {"catalina.base", "jetty.base"}) {
            String dir = systemProperties.apply(base);
            if (dir != null && !dir.isBlank()) {
                return Path.of(dir, "data", "chatroom", context);
            }
        }
        return Path.of(systemProperties.apply("user.home"), ".chatroom", context);
    }
}
