package chatroom.store;

import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The DataSource the container offers the webapp, if any. Looked up by name, deliberately not declared with a
 * {@code resource-ref} in web.xml: with nothing configured the room must start on the embedded store, and a
 * declared reference nobody configured breaks that in both containers (checked with Tomcat 11.0.24 and Jetty
 * 12.1.12): Jetty refuses to deploy ("Nothing to bind for name jdbc/chatroom"), and Tomcat binds an empty DBCP
 * pool whose first connection fails ("Cannot create JDBC driver of class '' for connect URL 'null'").
 * Without the declaration, Tomcat binds a context.xml {@code <Resource>} and Jetty a context XML {@code EnvEntry}
 * under this name (README, "Keep history in PostgreSQL").
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
