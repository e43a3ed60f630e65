package chatroom.testing;

import java.util.List;
import java.util.Map;

/**
 * The container settings the operator notes (docs/notes/abuse-holes.md, "Containers") tell a deployment to use, so
 * the test servers, embedded and standalone, run exactly those: no product name or version on any answer, the
 * container's own error pages included, and a deadline for a request head that stops arriving.
 */
public final class OperatorSettings {
    /** A connection that sends nothing for this long, its request head unfinished, is closed. */
    public static final int REQUEST_HEAD_TIMEOUT_MILLIS = 20_000;

    /** Tomcat's HTTP {@code <Connector>}: {@code connectionTimeout} bounds the wait for each part of a request head. */
    public static final Map<String,
    String> TOMCAT_CONNECTOR = Map.of("connectionTimeout", String.valueOf(REQUEST_HEAD_TIMEOUT_MILLIS));

    /**
     * Tomcat's {@code <Valve className="org.apache.catalina.valves.ErrorReportValve" .../>} in the {@code <Host>}: its
     * own error pages (malformed requests never reach the webapp) without the exception report or the version.
     */
    public static final Map<String,
            String> TOMCAT_ERROR_REPORT_VALVE = Map.of("showReport", "false", "showServerInfo", "false");

    /**
     * Jetty's start properties: no {@code Server: Jetty(12...)} header and no "Powered by Jetty:// 12..." line on its
     * own error pages (one setting covers both), and the connector's idle timeout.
     */
    public static final List<String> JETTY_PROPERTIES = List.of("jetty.httpConfig.sendServerVersion=false",
            "jetty.http.idleTimeout=" + REQUEST_HEAD_TIMEOUT_MILLIS);

    /** The request head deadline a test server runs with: {@link ChatServer#REQUEST_HEAD_TIMEOUT} if given. */
    static int requestHeadTimeoutMillis(Map<String, String> contextParams) {
        return Integer.parseInt(contextParams.getOrDefault(ChatServer.REQUEST_HEAD_TIMEOUT,
                String.valueOf(REQUEST_HEAD_TIMEOUT_MILLIS)));
    }

    private OperatorSettings() {
    }
}
