package chatroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.WebResourceRoot;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.realm.MemoryRealm;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;
import org.apache.tomcat.util.descriptor.web.ContextResource;
import org.postgresql.ds.PGSimpleDataSource;

/** The real webapp (annotation scanning, JSP compilation) in embedded Tomcat 11, on 127.0.0.1. */
public final class EmbeddedTomcat implements ChatServer {
    private final Tomcat tomcat;
    private final int port;
    private final Path base;
    private final String contextPath;
    private final NamingProperties naming;
    private final String host;

    private EmbeddedTomcat(Tomcat tomcat, int port, Path base, String contextPath, NamingProperties naming,
            String host) {
        this.tomcat = tomcat;
        this.port = port;
        this.base = base;
        this.contextPath = contextPath;
        this.naming = naming;
        this.host = host;
    }

    public static EmbeddedTomcat start(Map<String, String> contextParams) {
        return start(contextParams, 0);
    }

    public static EmbeddedTomcat start(Map<String, String> contextParams, int port) {
        return start(contextParams, port, "");
    }

    /** @param contextPath "" for the root, or e.g. "/chatroom" as a deployed chatroom.war gets */
    public static EmbeddedTomcat start(Map<String, String> contextParams, int port, String contextPath) {
        return start(contextParams, port, contextPath, null);
    }

    /**
     * With the PostgreSQL database behind {@code dataSource} offered to the webapp as
     * {@code java:comp/env/jdbc/chatroom}: a context {@code <Resource>} as in a context.xml (here built by the
     * driver's own factory, as embedded Tomcat has no DBCP; web.xml declares no resource-ref).
     */
    public static EmbeddedTomcat start(Map<String, String> contextParams, int port, String contextPath,
                                       PGSimpleDataSource dataSource) {
        WebAppSource.check();
        String listenOn = contextParams.getOrDefault(LISTEN_ON, "127.0.0.1");
        int headTimeout = OperatorSettings.requestHeadTimeoutMillis(contextParams);
        contextParams = WebAppSource.testDefaults(contextParams);
        contextParams.remove(LISTEN_ON);
        contextParams.remove(REQUEST_HEAD_TIMEOUT);
        Tomcat tomcat = new Tomcat();
        Path base;
        try {
            base = Files.createTempDirectory("chat-tomcat");
            tomcat.setBaseDir(base.toString());
            Files.createDirectories(base.resolve("webapps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // After setBaseDir: enableNaming creates the server, which otherwise takes ./tomcat.8080 as its base and
        // leaves the compiled JSPs in the working directory.
        NamingProperties naming = null;
        if (dataSource != null) {
            // enableNaming sets JVM-wide JNDI properties; close() puts back what the other tests ran with.
            naming = NamingProperties.save();
            tomcat.enableNaming();
        }
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", listenOn);
        OperatorSettings.TOMCAT_CONNECTOR.forEach(connector::setProperty);
        connector.setProperty("connectionTimeout", Integer.toString(headTimeout));
        // A fixed send buffer per accepted socket (see EmbeddedJetty).
        connector.setProperty("socket.txBufSize", Integer.toString(WebAppSource.SOCKET_SEND_BUFFER_BYTES));
        tomcat.setConnector(connector);
        // The Host's error report valve, as OperatorSettings.TOMCAT_ERROR_REPORT_VALVE sets it in server.xml.
        ErrorReportValve errorReport = new ErrorReportValve();
        errorReport.setShowReport(Boolean.parseBoolean(OperatorSettings.TOMCAT_ERROR_REPORT_VALVE.get("showReport")));
        errorReport.setShowServerInfo(
                Boolean.parseBoolean(OperatorSettings.TOMCAT_ERROR_REPORT_VALVE.get("showServerInfo")));
        tomcat.getHost().getPipeline().addValve(errorReport);

        Context context = tomcat.addWebapp(contextPath, WebAppSource.WEBAPP.toString());
        WebResourceRoot resources = new StandardRoot(context);
        resources.addPreResources(new DirResourceSet(resources, "/WEB-INF/classes",
                WebAppSource.CLASSES.toString(), "/"));
        context.setResources(resources);
        if (dataSource != null) {
            context.getNamingResources().addResource(resource(dataSource));
        }
        // The sign-in's accounts (web.xml's login-config), from a tomcat-users.xml file.
        MemoryRealm accounts = new MemoryRealm();
        accounts.setPathname(TestAccounts.TOMCAT_USERS.toString());
        context.setRealm(accounts);
        // Jetty's initializers are on the same test class path; they must not run inside Tomcat.
        ((StandardContext) context).setContainerSciFilter("org\\.eclipse\\.jetty\\..*");
        // override=false: web.xml's context-param of the same name may not replace this one.
        WebAppSource.withOwnStore(contextParams, base.resolve("store"))
                .forEach((name, value) -> context.addApplicationParameter(applicationParameter(name, value)));
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            destroyQuietly(tomcat, naming);
            throw new IllegalStateException("embedded Tomcat failed to start", e);
        }
        if (context.getState() != LifecycleState.STARTED || connector.getState() != LifecycleState.STARTED) {
            destroyQuietly(tomcat, naming);
            throw new IllegalStateException("embedded Tomcat did not start the webapp or connector (see log above)");
        }
        return ChatServer.warmedUp(new EmbeddedTomcat(tomcat, connector.getLocalPort(), base, contextPath,
                naming, listenOn));
    }

    private static ContextResource resource(PGSimpleDataSource dataSource) {
        ContextResource resource = new ContextResource();
        resource.setName("jdbc/chatroom");
        resource.setAuth("Container");
        resource.setType(PGSimpleDataSource.class.getName());
        resource.setProperty("factory", "org.postgresql.ds.common.PGObjectFactory");
        resource.setProperty("serverName", dataSource.getServerNames()[0]);
        resource.setProperty("portNumber", Integer.toString(dataSource.getPortNumbers()[0]));
        resource.setProperty("databaseName", dataSource.getDatabaseName());
        resource.setProperty("user", dataSource.getUser());
        return resource;
    }

    private static ApplicationParameter applicationParameter(String name, String value) {
        ApplicationParameter parameter = new ApplicationParameter();
        parameter.setName(name);
        parameter.setValue(value);
        parameter.setOverride(false);
        return parameter;
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
        return "Tomcat";
    }

    @Override
    public void close() {
        destroyQuietly(tomcat, naming);
        // Tomcat's work folder (compiled JSPs, session files) is only this run's.
        Folders.deleteTree(base);
    }

    private static void destroyQuietly(Tomcat tomcat, NamingProperties naming) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("embedded Tomcat failed to stop", e);
        } finally {
            if (naming != null) {
                naming.restore();
            }
        }
    }

    /** The JVM-wide JNDI system properties that {@code Tomcat.enableNaming()} changes. */
    private record NamingProperties(String initialFactory, String urlPackages) {
        static NamingProperties save() {
            return new NamingProperties(System.getProperty(javax.naming.Context.INITIAL_CONTEXT_FACTORY),
                    System.getProperty(javax.naming.Context.URL_PKG_PREFIXES));
        }

        void restore() {
            put(javax.naming.Context.INITIAL_CONTEXT_FACTORY, initialFactory);
            put(javax.naming.Context.URL_PKG_PREFIXES, urlPackages);
        }

        private static void put(String name, String value) {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        }
    }
}
