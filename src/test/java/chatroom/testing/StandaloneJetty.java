package chatroom.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged WAR dropped into the real Jetty distribution (target/dist/jetty-home-*), run as its own process:
 * the distribution is JETTY_HOME, untouched; a fresh JETTY_BASE gets the modules a Jakarta EE 11 WAR with JSP and
 * WebSocket needs (via start.jar, as an operator would), {@link OperatorSettings}, and the WAR as webapps/chatroom.war.
 */
public final class StandaloneJetty extends StandaloneServer {
    /**
     * The modules of jetty-home 12.1 (ee11-jstl is not among them: JSTL travels in the WAR). {@code graceful}
     * gives stopping a graceful phase, in which Jetty closes WebSocket sessions with 1001; without it the
     * connectors just drop the connections and clients see 1006.
     */
    static final String MODULES = "http,ee11-deploy,ee11-jsp,ee11-websocket-jakarta,graceful";
    /**
     * Logged by AbstractConnector once bound:
     * {@code Started oejs.ServerConnector@1a1da881{HTTP/1.1, (http/1.1)}{127.0.0.1:38077}}.
     */
    private static final Pattern PORT_LINE =
            Pattern.compile("Started \\S*ServerConnector@.*\\{127\\.0\\.0\\.1:(\\d+)\\}");

    private StandaloneJetty(ServerProcess process) {
        super(process);
    }

    public static StandaloneJetty start() {
        return start(List.of(), List.of());
    }

    /**
     * With extra JVM options (before {@code -jar start.jar}, so no second JVM is forked: heap, GC, {@code -Dchat.*})
     * and start.jar properties (e.g. {@code jetty.threadPool.maxThreads=400}), as the benchmark needs them.
     */
    public static StandaloneJetty start(List<String> jvmOptions, List<String> properties) {
        return start(jvmOptions, properties, false);
    }

    /**
     * With the deployment scanner on, looking every second (jetty-home's default, 0, deploys only at start), and,
     * when {@code workFolder}, a {@code $JETTY_BASE/work} folder, which Jetty's documentation suggests for keeping
     * compiled JSPs across restarts: Jetty then puts each context's temporary directory there, under a fixed name,
     * so the base also gets the README's {@code webapps/chatroom.xml}, which gives each deployment a directory of its
     * own.
     */
    public static StandaloneJetty startRedeployable(boolean workFolder) {
        return start(List.of(), List.of("jetty.deploy.scanInterval=1"), workFolder);
    }

    private static StandaloneJetty start(List<String> jvmOptions, List<String> properties, boolean workFolder) {
        return new StandaloneJetty(ServerProcess.launch("jetty-home-",
                server -> prepare(server, jvmOptions, properties, workFolder), PORT_LINE));
    }

    private static List<String> prepare(ServerProcess server, List<String> jvmOptions, List<String> properties,
                                        boolean workFolder) throws IOException {
        Path home = server.home();
        Path base = server.base();
        String startJar = home.resolve("start.jar").toString();
        List<String> locations = List.of("jetty.home=" + home, "jetty.base=" + base);
        // --add-modules writes start.d/*.ini into the base and exits; it does not start the server.
        server.run(concat(List.of(ServerProcess.java(), "-jar", startJar), locations,
                List.of("--add-modules=" + MODULES)),
                ServerProcess.START_TIMEOUT);
        // Jetty does not start a webapp that declares a FORM login without a realm: the README's HashLoginService.
        SignInSetups.installJettyRealm(base);
        Path temp = Files.createDirectories(base.resolve("temp"));
        if (workFolder) {
            Files.createDirectories(base.resolve("work"));
            Files.createDirectories(base.resolve("webapps"));
            Files.copy(Path.of("src/main/jetty/webapps/chatroom.xml"), base.resolve("webapps/chatroom.xml"));
        }
        server.deployWar(base.resolve("webapps"));
        // Jetty unpacks the WAR under java.io.tmpdir: keep that inside the base, which close() deletes.
        return concat(List.of(ServerProcess.java()), jvmOptions, List.of("-Djava.io.tmpdir=" + temp, "-jar", startJar),
                locations, List.of("jetty.http.host=127.0.0.1", "jetty.http.port=0"),
                OperatorSettings.JETTY_PROPERTIES, properties);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
