package chatroom.testing;

import static org.awaitility.Awaitility.await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Debian's nginx in front of chat nodes, configured with the {@code nginx} block of the project's README, so the
 * deployment the README documents is the one the tests run and the two cannot drift apart. Only what must differ
 * on a test machine is replaced, each replacement checked: the upstream servers become the nodes, {@code listen}
 * becomes a free 127.0.0.1 port. Everything else (ip_hash, the headers, the timeouts) is the README's text.
 *
 * <p>It runs in the foreground ({@code daemon off}) as a child process with a prefix of its own under
 * {@code target/nginx/}: configuration, pid, logs and temporary files there, nothing of the system's configuration.
 * Run as root (as CI does), the master keeps root and the workers switch to nginx's built-in user {@code nobody};
 * the master creates the temporary folders and hands them to that user, so the folders above them only need to be
 * readable by all, which this class makes sure of.
 */
public final class NginxServer implements ChatServer {
    static final Path BINARY = Path.of(System.getProperty("chat.test.nginx", "/usr/sbin/nginx"));
    private static final Path README = Path.of("README.md");
    private static final Path BASES = Path.of("target/nginx").toAbsolutePath();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern NGINX_BLOCK = Pattern.compile("```nginx\\n(.*?)```", Pattern.DOTALL);
    /** An upstream's {@code server 10.0.0.11:8080;} line (not the {@code server {} block). */
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^(\\s*)server\\s+[^\\s;{]+\\s*;");
    private static final Pattern LISTEN = Pattern.compile("(?m)^(\\s*)listen\\s+[^;]+;");

    private final Process process;
    private final Path base;
    private final int port;
    private final String contextPath;

    private NginxServer(Process process, Path base, int port, String contextPath) {
        this.process = process;
        this.base = base;
        this.port = port;
        this.contextPath = contextPath;
    }

    /** Skips the calling test where nginx is not installed, except in CI, where that is a failure. */
    public static void assumeInstalled() {
        SystemProgram.assumeInstalled(BINARY, "nginx");
    }

    /** The README's only {@code ```nginx} block, as written. */
    public static String readmeBlock() {
        String readme;
        try {
            readme = Files.readString(README);
        } catch (IOException e) {
            throw new UncheckedIOException("the nginx test reads its configuration from " + README.toAbsolutePath(), e);
        }
        Matcher block = NGINX_BLOCK.matcher(readme);
        if (!block.find()) {
            throw new IllegalStateException("README.md has no ```nginx block to test");
        }
        String found = block.group(1);
        if (block.find()) {
            throw new IllegalStateException("README.md has several ```nginx blocks; the test runs one");
        }
        return found;
    }

    /**
     * Starts nginx with {@code block} (an http-level configuration as in the README) in front of {@code nodes}, which
     * all serve the webapp under the same context path; the block's location must be that path.
     */
    public static NginxServer start(String block, List<ChatServer> nodes) {
        assumeInstalled();
        String contextPath = nodes.get(0).pageUri().getRawPath();
        for (ChatServer node : nodes) {
            if (!node.pageUri().getRawPath().equals(contextPath)) {
                throw new IllegalArgumentException("nodes under different paths: " + nodes);
            }
        }
        if (!block.contains("location " + contextPath + " ")) {
            throw new IllegalStateException("the nginx block has no `location " + contextPath
                    + "`, where the nodes serve the room:\n" + block);
        }
        // A port that was free a moment ago may be taken by the time nginx binds it: try another.
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(block, nodes, RedisServer.freePort(), contextPath);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (PortTaken e) {
                last = e;
            }
        }
        throw last;
    }

    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static NginxServer launch(String block, List<ChatServer> nodes, int port, String contextPath) {
        Path base;
        try {
            Files.createDirectories(BASES);
            base = Files.createTempDirectory(BASES, "nginx-" + port + "-");
            // createTempDirectory makes it rwx------; nginx's workers (nobody, when run as root) must get through.
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(BASES, PosixFilePermissions.fromString("rwxr-xr-x"));
            // nginx creates its temporary folders (and hands them to the workers' user) but not their parent.
            Files.createDirectory(base.resolve("temp"));
            Files.writeString(base.resolve("nginx.conf"), mainConfig(base, forNodes(block, nodes, port)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Process process;
        try {
            process = new ProcessBuilder(BINARY.toString(), "-p", base + "/", "-c",
                    base.resolve("nginx.conf").toString(),
                    "-e", base.resolve("error.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(base.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        NginxServer server = new NginxServer(process, base, port, contextPath);
        try {
            // Not started: it exited (a taken port, a bad configuration) or never answered.
            await().atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(RedisServer.POLL)
                    .failFast(() -> !process.isAlive()).until(server::accepts);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            server.close();
            String log = server.log();
            String message = "nginx did not start on 127.0.0.1:" + port + " (see " + base + "):\n" + log;
            throw log.contains("Address already in use") ? new PortTaken(message) : new IllegalStateException(message);
        }
        return server;
    }

    /** The README's block with the nodes as upstream servers and a loopback listen address. */
    static String forNodes(String block, List<ChatServer> nodes, int port) {
        Matcher servers = UPSTREAM_SERVER.matcher(block);
        StringBuilder result = new StringBuilder();
        int replaced = 0;
        while (servers.find()) {
            if (replaced >= nodes.size()) {
                throw new IllegalStateException("the nginx block lists more upstream servers than the " + nodes.size()
                        + " nodes:\n" + block);
            }
            servers.appendReplacement(result, Matcher.quoteReplacement(
                    servers.group(1) + "server 127.0.0.1:" + nodes.get(replaced++).port() + ";"));
        }
        servers.appendTail(result);
        if (replaced != nodes.size()) {
            throw new IllegalStateException("the nginx block lists " + replaced + " upstream servers, the test has "
                    + nodes.size() + " nodes:\n" + block);
        }
        Matcher listen = LISTEN.matcher(result);
        if (!listen.find()) {
            throw new IllegalStateException("the nginx block has no listen directive:\n" + block);
        }
        String withListen = listen.replaceFirst(Matcher.quoteReplacement(listen.group(1) + "listen 127.0.0.1:"
                + port + ";"));
        if (LISTEN.matcher(withListen).results().count() != 1) {
            throw new IllegalStateException("the nginx block has several listen directives; the test replaces one:\n"
                    + block);
        }
        return withListen;
    }

    /** What a system's nginx.conf and its defaults would otherwise provide, all under {@code base}. */
    private static String mainConfig(Path base, String httpBlock) {
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events {
                    worker_connections 1024;
                }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/temp/client_body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;

                %2$s
                }
                """.formatted(base, httpBlock.indent(4));
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** nginx's error log (startup problems, refused upstreams) and its output, for failure messages. */
    public String log() {
        StringBuilder log = new StringBuilder();
        for (String name : List.of("error.log", "stdout.log")) {
            Path file = base.resolve(name);
            try {
                if (Files.exists(file)) {
                    log.append("--- ").append(name).append('\n').append(Files.readString(file, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                log.append("--- ").append(name).append(" unreadable: ").append(e).append('\n');
            }
        }
        return log.toString();
    }

    /** The browser's Origin for pages served through this proxy. */
    public String origin() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public URI pageUri() {
        return URI.create(origin() + contextPath);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String containerName() {
        return "nginx";
    }

    /** SIGTERM (nginx's fast shutdown: the master stops its workers), then, if that is not enough, SIGKILL to all. */
    @Override
    public void close() {
        List<ProcessHandle> workers = process.descendants().toList();
        Processes.stop(process, STOP_TIMEOUT);
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
