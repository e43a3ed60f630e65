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
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.webresources.DirResourceSet;
import org.apache.catalina.webresources.StandardRoot;
import org.apache.tomcat.util.descriptor.web.ApplicationParameter;

/** The real webapp (annotation scanning, JSP compilation) in embedded Tomcat 11, on 127.0.0.1. */
public final class EmbeddedTomcat implements ChatServer {
    private final Tomcat tomcat;
    private final int port;
    private final Path base;

    private EmbeddedTomcat(Tomcat tomcat, int port, Path base) {
        this.tomcat = tomcat;
        this.port = port;
        this.base = base;
    }

    public static EmbeddedTomcat start(Map<String, String> contextParams) {
        return start(contextParams, 0);
    }

    public static EmbeddedTomcat start(Map<String, String> contextParams, int port) {
        WebAppSource.check();
        Tomcat tomcat = new Tomcat();
        Path base;
        try {
            base = Files.createTempDirectory("chat-tomcat");
            tomcat.setBaseDir(base.toString());
            Files.createDirectories(base.resolve("webapps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);

        Context context = tomcat.addWebapp("", WebAppSource.WEBAPP.toString());
        WebResourceRoot resources = new StandardRoot(context);
        resources.addPreResources(new DirResourceSet(resources, "/WEB-INF/classes", WebAppSource.CLASSES.toString(), "/"));
        context.setResources(resources);
        // Jetty's initializers are on the same test class path; they must not run inside Tomcat.
        ((StandardContext) context).setContainerSciFilter("org\\.eclipse\\.jetty\\..*");
        // override=false: web.xml's context-param of the same name may not replace this one.
        WebAppSource.withOwnStore(contextParams, base.resolve("store"))
                .forEach((name, value) -> context.addApplicationParameter(applicationParameter(name, value)));
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            destroyQuietly(tomcat);
            throw new IllegalStateException("embedded Tomcat failed to start", e);
        }
        if (context.getState() != LifecycleState.STARTED || connector.getState() != LifecycleState.STARTED) {
            destroyQuietly(tomcat);
            throw new IllegalStateException("embedded Tomcat did not start the webapp or connector (see log above)");
        }
        return new EmbeddedTomcat(tomcat, connector.getLocalPort(), base);
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
        return URI.create("http://127.0.0.1:" + port + "/");
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
        destroyQuietly(tomcat);
        // Tomcat's work folder (compiled JSPs, session files) is only this run's.
        ServerProcess.deleteTree(base);
    }

    private static void destroyQuietly(Tomcat tomcat) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("embedded Tomcat failed to stop", e);
        }
    }
}
