package chatroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.jetty.ee11.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.plus.jndi.EnvEntry;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;

/** The real webapp (annotation scanning, JSP compilation) in embedded Jetty 12 (ee11), on 127.0.0.1. */
public final class EmbeddedJetty implements ChatServer {
    private final Server server;
    private final int port;
    private final String contextPath;
    private final Path storeDir;
    private final String host;

    private EmbeddedJetty(Server server, int port, String contextPath, Path storeDir, String host) {
        this.server = server;
        this.port = port;
        this.contextPath = contextPath;
        this.storeDir = storeDir;
        this.host = host;
    }

    public static EmbeddedJetty start(Map<String, String> contextParams) {
        return start(contextParams, 0);
    }

    /** Port 0 picks a free one; a fixed port lets a test restart the server where the page expects it. */
    public static EmbeddedJetty start(Map<String, String> contextParams, int port) {
        return start(contextParams, port, "");
    }

    /** @param contextPath "" for the root, or e.g. "/chatroom" as a deployed chatroom.war gets */
    public static EmbeddedJetty start(Map<String, String> contextParams, int port, String contextPath) {
        return start(contextParams, port, contextPath, null);
    }

    /**
     * With {@code dataSource} offered to the webapp as {@code java:comp/env/jdbc/chatroom}, as docs/STORAGE.md tells
     * an operator to (an {@code EnvEntry} in the context XML: web.xml declares no resource-ref).
     */
    public static EmbeddedJetty start(Map<String, String> contextParams, int port, String contextPath,
                                      DataSource dataSource) {
        WebAppSource.check();
        String listenOn = contextParams.getOrDefault(LISTEN_ON, "127.0.0.1");
        int headTimeout = OperatorSettings.requestHeadTimeoutMillis(contextParams);
        contextParams = WebAppSource.testDefaults(contextParams);
        contextParams.remove(LISTEN_ON);
        contextParams.remove(REQUEST_HEAD_TIMEOUT);
        Server server = new Server();
        // As jetty-home's graceful module does (jetty.server.stopTimeout=5000): stopping first closes every
        // WebSocket session with 1001 in the graceful phase; without it the connectors drop the connections (1006).
        server.setStopTimeout(5000);
        // OperatorSettings.JETTY_PROPERTIES, as jetty-home applies them: no version, a deadline for idle heads.
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setIdleTimeout(headTimeout);
        connector.setHost(listenOn);
        connector.setPort(port);
        // A fixed send buffer per accepted socket, as the README tells operators: left to the kernel, Linux grows
        // it to 4 MB, and a peer that stops reading then holds that much of the server's memory until it is cut.
        connector.setAcceptedSendBufferSize(WebAppSource.SOCKET_SEND_BUFFER_BYTES);
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(contextPath.isEmpty() ? "/" : contextPath);
        webapp.setBaseResourceAsPath(WebAppSource.WEBAPP);
        webapp.setExtraClasspath(WebAppSource.CLASSES.toString());
        // JSTL is on the test class path, not in WEB-INF/lib: let Jetty scan those jars for their TLDs.
        webapp.setAttribute(MetaInfConfiguration.CONTAINER_JAR_PATTERN,
                ".*/jakarta\\.servlet\\.jsp\\.jstl[^/]*\\.jar$");
        // Tomcat's initializers are on the same test class path; they must not run inside Jetty.
        webapp.setAttribute("org.eclipse.jetty.containerInitializerExclusionPattern", "org\\.apache\\..*");
        webapp.setThrowUnavailableOnStartupException(true);
        // web.xml's own context-params would replace ones set here; an override descriptor is applied after it.
        Path storeDir;
        try {
            storeDir = Files.createTempDirectory("chat-jetty-store");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        webapp.addOverrideDescriptor(overrideDescriptor(WebAppSource.withOwnStore(contextParams, storeDir)));
        if (dataSource != null) {
            bind(webapp, dataSource);
        }
        // The sign-in's accounts (web.xml's login-config): Jetty refuses to start a webapp with one and no realm.
        HashLoginService accounts = new HashLoginService(TestAccounts.REALM,
                ResourceFactory.of(server).newResource(TestAccounts.JETTY_REALM));
        server.addBean(accounts);
        server.setHandler(webapp);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            Folders.deleteTree(storeDir);
            throw new IllegalStateException("embedded Jetty failed to start", e);
        }
        return ChatServer.warmedUp(new EmbeddedJetty(server, connector.getLocalPort(), contextPath,
                storeDir, listenOn));
    }

    private static void bind(WebAppContext webapp, DataSource dataSource) {
        try {
            new EnvEntry(webapp, "jdbc/chatroom", dataSource, true);
        } catch (NamingException e) {
            throw new IllegalStateException("could not bind the DataSource for the webapp", e);
        }
    }

    private static String overrideDescriptor(Map<String, String> contextParams) {
        StringBuilder xml = new StringBuilder("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                + "version=\"6.0\">\n");
        contextParams.forEach((name, value) -> xml.append("<context-param><param-name>").append(name)
                .append("</param-name><param-value>").append(value).append("</param-value></context-param>\n"));
        xml.append("</web-app>\n");
        try {
            Path file = Files.createTempFile("chat-override", ".xml");
            Files.writeString(file, xml);
            file.toFile().deleteOnExit();
            return file.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI pageUri() {
        return URI.create("http://" + ChatServer.uriHost(host) + ":" + port + contextPath + "/");
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String containerName() {
        return "Jetty";
    }

    @Override
    public void close() {
        stopQuietly(server);
        Folders.deleteTree(storeDir);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("embedded Jetty failed to stop", e);
        }
    }
}
