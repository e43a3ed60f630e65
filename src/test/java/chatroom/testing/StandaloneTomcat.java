package chatroom.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * The packaged WAR dropped into the real Tomcat distribution (target/dist/apache-tomcat-*), run as its own process:
 * the distribution is CATALINA_HOME, untouched; a fresh CATALINA_BASE gets the distribution's conf/ with only
 * server.xml changed (HTTP on 127.0.0.1, port 0; no shutdown port; no AJP; {@link OperatorSettings}) and the WAR as
 * webapps/chatroom.war.
 */
public final class StandaloneTomcat extends StandaloneServer {
    /**
     * Logged by AbstractProtocol.start once the connector is bound. For port 0 the handler's name carries the port
     * the OS chose: {@code Starting ProtocolHandler ["http-nio-127.0.0.1-auto-1-38077"]}.
     */
    private static final Pattern PORT_LINE =
            Pattern.compile("Starting ProtocolHandler \\[\"http-nio-127\\.0\\.0\\.1-auto-\\d+-(\\d+)\"\\]");

    /**
     * What docs/TUNING.md tells operators to set on Tomcat's HTTP connector: room for 19,000
     * connections and a burst of arrivals, and 1 KiB socket buffers (Tomcat writes a WebSocket message straight from
     * its own buffer, so the connector's write buffer only carries HTTP responses; 13 KiB less per connection).
     */
    public static final Map<String, String> README_CONNECTOR = Map.of(
            "maxConnections", "20000", "acceptCount", "1000",
            "socket.appReadBufSize", "1024", "socket.appWriteBufSize", "1024");
    /**
     * The JVM option docs/TUNING.md gives for Tomcat: 4 KiB WebSocket buffers (read, write, encode), not 8 KiB, 12 KiB
     * less per connection; a text message over 4 KiB goes out in 4 KiB fragments.
     */
    public static final List<String> README_JVM = List.of("-Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=4096");

    private StandaloneTomcat(ServerProcess process) {
        super(process);
    }

    /** Deployed as docs/TUNING.md recommends (its connector attributes and JVM option). */
    public static StandaloneTomcat start() {
        return start(README_JVM, README_CONNECTOR);
    }

    /**
     * With extra JVM options (before the main class: heap, GC, {@code -Dchat.*}) and attributes for the HTTP
     * connector in server.xml (e.g. {@code maxConnections}), as the benchmark needs them.
     */
    public static StandaloneTomcat start(List<String> jvmOptions, Map<String, String> connectorAttributes) {
        return start(jvmOptions, connectorAttributes, Map.of());
    }

    /** As {@link #start(List, Map)}, with {@code setup} applied to the base (e.g. the realm's accounts). */
    public static StandaloneTomcat start(List<String> jvmOptions, Map<String, String> connectorAttributes,
                                         BaseSetup setup) {
        return start(jvmOptions, connectorAttributes, Map.of(), setup);
    }

    /**
     * As the README recommends, with a replaced WAR noticed within a second: the shipped server.xml deploys
     * automatically (autoDeploy on the Host), but looks only every 10 s (the Engine's backgroundProcessorDelay).
     */
    public static StandaloneTomcat startRedeployable() {
        return start(README_JVM, README_CONNECTOR, Map.of("backgroundProcessorDelay", "1"));
    }

    /** A change an operator makes to CATALINA_BASE (conf/, lib/) before the first start. */
    public interface BaseSetup {
        void apply(Path base) throws IOException;
    }

    /** As the README recommends, with {@code setup} applied to the base (after its conf/ is in place). */
    public static StandaloneTomcat start(BaseSetup setup) {
        return start(README_JVM, README_CONNECTOR, Map.of(), setup);
    }

    private static StandaloneTomcat start(List<String> jvmOptions, Map<String, String> connectorAttributes,
                                          Map<String, String> engineAttributes) {
        return start(jvmOptions, connectorAttributes, engineAttributes, base -> { });
    }

    private static StandaloneTomcat start(List<String> jvmOptions, Map<String, String> connectorAttributes,
                                          Map<String, String> engineAttributes, BaseSetup setup) {
        return new StandaloneTomcat(ServerProcess.launch("apache-tomcat-",
                server -> prepare(server, jvmOptions, connectorAttributes, engineAttributes, setup), PORT_LINE));
    }

    private static List<String> prepare(ServerProcess server, List<String> jvmOptions, Map<String,
            String> connectorAttributes,
                                        Map<String, String> engineAttributes, BaseSetup setup) throws IOException {
        Path home = server.home();
        Path base = server.base();
        copyTree(home.resolve("conf"), base.resolve("conf"));
        rewriteServerXml(base.resolve("conf/server.xml"), connectorAttributes, engineAttributes);
        setup.apply(base);
        for (String dir : List.of("logs", "temp", "work")) {
            Files.createDirectories(base.resolve(dir));
        }
        server.deployWar(base.resolve("webapps"));
        // What bin/catalina.sh run would execute, minus the shell: the same java as the tests, the same JVM options.
        List<String> command = new java.util.ArrayList<>(List.of(ServerProcess.java()));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-classpath", home.resolve("bin/bootstrap.jar") + File.pathSeparator
                + home.resolve("bin/tomcat-juli.jar"),
                "-Dcatalina.home=" + home,
                "-Dcatalina.base=" + base,
                "-Djava.io.tmpdir=" + base.resolve("temp"),
                "org.apache.catalina.startup.Bootstrap", "start"));
        return command;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    /** Edits the shipped server.xml rather than writing one, so everything else stays as the distribution has it. */
    private static void rewriteServerXml(Path file, Map<String, String> connectorAttributes,
                                         Map<String, String> engineAttributes) throws IOException {
        try {
            Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
            // The process is stopped by a signal; a shutdown port would only be one more port to collide on.
            xml.getDocumentElement().setAttribute("port", "-1");
            NodeList connectors = xml.getElementsByTagName("Connector");
            int http = 0;
            for (int i = connectors.getLength() - 1; i >= 0; i--) {
                Element connector = (Element) connectors.item(i);
                if (connector.getAttribute("protocol").startsWith("AJP")) {
                    connector.getParentNode().removeChild(connector);
                } else {
                    connector.setAttribute("address", "127.0.0.1");
                    connector.setAttribute("port", "0");
                    OperatorSettings.TOMCAT_CONNECTOR.forEach(connector::setAttribute);
                    connectorAttributes.forEach(connector::setAttribute);
                    http++;
                }
            }
            if (http != 1) {
                throw new IllegalStateException("expected one HTTP connector in " + file + ", found " + http);
            }
            NodeList hosts = xml.getElementsByTagName("Host");
            for (int i = 0; i < hosts.getLength(); i++) {
                Element valve = xml.createElement("Valve");
                valve.setAttribute("className", "org.apache.catalina.valves.ErrorReportValve");
                OperatorSettings.TOMCAT_ERROR_REPORT_VALVE.forEach(valve::setAttribute);
                hosts.item(i).appendChild(valve);
            }
            engineAttributes.forEach(((Element) xml.getElementsByTagName("Engine").item(0))::setAttribute);
            TransformerFactory.newInstance().newTransformer()
                    .transform(new DOMSource(xml), new StreamResult(file.toFile()));
        } catch (ParserConfigurationException | SAXException | TransformerException e) {
            throw new IOException("could not rewrite " + file, e);
        }
    }
}
