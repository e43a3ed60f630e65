package chatroom.store;

import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The DataSource the container offers the webapp, if any. Looked up by name rather than declared with a
 * {@code resource-ref} in web.xml: a declared reference the container cannot satisfy breaks the deployment in
 * Jetty, and with nothing configured the room must still start (on the embedded store).
 */
public final class ContainerDataSource {
    public static final String NAME = "java:comp/env/jdbc/chatroom";

    private ContainerDataSource() {
    }

    /** The container's DataSource, or empty when it has no naming service or nothing bound under {@link #NAME}. */
    public static Optional<DataSource> lookup() {
        try {
            Object found = new InitialContext().lookup(NAME);
            if (found instanceof DataSource dataSource) {
                return Optional.of(dataSource);
            }
            throw new IllegalStateException(NAME + " is a " + found.getClass().getName() + ", not a DataSource");
        } catch (NamingException e) {
            return Optional.empty();
        }
    }
}
