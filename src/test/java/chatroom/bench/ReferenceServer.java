package chatroom.bench;

import chatroom.testing.ChatServer;
import chatroom.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A reference server the benchmark measures beside the WAR, under Node on a free 127.0.0.1 port, speaking the plain
 * protocol: uWebSockets.js's pub/sub broadcast ({@code src/test/node/uws-broadcast.js}), the fastest, and the npm
 * {@code ws} package's broadcast server ({@code ws-broadcast.js}). Their packages come from the benchmark's lock file
 * ({@link NodeModules}).
 */
final class ReferenceServer implements ChatServer {
    private static final long START_SECONDS = 30;

    /** The two servers: the block's container name, the script, the npm package (for its version), a label. */
    enum Kind {
        UWS("uws", "uws-broadcast.js", "@trufflesuite/uws-js-unofficial", "uWebSockets.js %s pub/sub server (node)"),
        WS("ws", "ws-broadcast.js", "ws", "ws %s broadcast server (node)");

        final String container;
        final String script;
        final String npmPackage;
        final String label;

        Kind(String container, String script, String npmPackage, String label) {
            this.container = container;
            this.script = script;
            this.npmPackage = npmPackage;
            this.label = label;
        }

        static Kind of(String container) {
            for (Kind kind : values()) {
                if (kind.container.equals(container)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("no reference server " + container);
        }
    }

    private final Process process;
    private final int port;
    private final String name;

    private ReferenceServer(Process process, int port, String name) {
        this.process = process;
        this.port = port;
        this.name = name;
    }

    /**
     * Installs the locked packages into {@code nodeDir} unless they are there, then starts the server and waits
     * (bounded) for the port it prints; a server that cannot run here prints "error &lt;why&gt;" instead, which is
     * thrown.
     */
    static ReferenceServer start(Path nodeDir, Kind kind) {
        Path modules = NodeModules.install(nodeDir);
        try {
            Process process = NodeModules.node(modules, kind.script)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            String line;
            try {
                line = first.get(START_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
                throw new IllegalStateException("the " + kind.container + " reference server did not print its port"
                        + " within " + START_SECONDS + " s", e);
            }
            if (line == null || !line.startsWith("listening ")) {
                process.destroyForcibly();
                throw new IllegalStateException(line != null && line.startsWith("error ") ? line.substring(6)
                        : "the " + kind.container + " reference server said " + line + " instead of its port");
            }
            // Nothing more is printed, but the pipe must never fill up and block the server.
            Thread drain = new Thread(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException e) {
                    // the server is gone
                }
            }, kind.container + "-reference-output");
            drain.setDaemon(true);
            drain.start();
            return new ReferenceServer(process, Integer.parseInt(line.substring("listening ".length()).trim()),
                    String.format(kind.label, NodeModules.version(modules, kind.npmPackage)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long pid() {
        return process.pid();
    }

    @Override
    public URI pageUri() {
        return URI.create("http://127.0.0.1:" + port + "/chatroom/");
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String containerName() {
        return name;
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
