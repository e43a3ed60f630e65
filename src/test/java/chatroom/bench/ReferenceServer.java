package chatroom.bench;

import chatroom.testing.ChatServer;
import chatroom.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reference server the benchmark measures beside the WAR: the npm {@code ws} package's broadcast server
 * ({@code src/test/node/ws-broadcast.js}) under Node, on a free 127.0.0.1 port, speaking the plain protocol. The
 * benchmark installs {@code ws} itself, at a pinned version, with npm into {@code target/bench-node/} (nothing else is
 * downloaded). Where node or npm is missing, {@link #unavailable} says why and the benchmark runs without it.
 */
final class ReferenceServer implements ChatServer {
    static final Path SCRIPT = Path.of("src/test/node/ws-broadcast.js");
    private static final long START_SECONDS = 30;
    private static final long INSTALL_SECONDS = 180;

    private final Process process;
    private final int port;
    private final String version;

    private ReferenceServer(Process process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    /** Why the reference cannot run here (no node, no npm, no script), or empty when it can. */
    static Optional<String> unavailable() {
        for (String program : List.of("node", "npm")) {
            if (onPath(program).isEmpty()) {
                return Optional.of(program + " is not on the PATH (apt-get install nodejs npm)");
            }
        }
        if (!Files.isRegularFile(SCRIPT)) {
            return Optional.of(SCRIPT.toAbsolutePath() + " is missing");
        }
        return Optional.empty();
    }

    /**
     * Installs {@code ws@version} into {@code nodeDir} unless it is there already (bounded), then starts the script
     * and waits (bounded) for the port it prints.
     */
    static ReferenceServer start(Path nodeDir, String version) {
        install(nodeDir, version);
        try {
            ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toAbsolutePath().toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            builder.environment().put("NODE_PATH", nodeDir.toAbsolutePath().resolve("node_modules").toString());
            Process process = builder.start();
            process.getOutputStream().close();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
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
                throw new IllegalStateException("the ws reference server did not print its port within "
                        + START_SECONDS + " s", e);
            }
            if (line == null || !line.startsWith("listening ")) {
                process.destroyForcibly();
                throw new IllegalStateException("the ws reference server said " + line + " instead of its port");
            }
            // Nothing more is printed, but the pipe must never fill up and block the server.
            Thread drain = new Thread(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException e) {
                    // the server is gone
                }
            }, "ws-reference-output");
            drain.setDaemon(true);
            drain.start();
            return new ReferenceServer(process, Integer.parseInt(line.substring("listening ".length()).trim()), version);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void install(Path nodeDir, String version) {
        if (Files.isRegularFile(nodeDir.resolve("node_modules/ws/package.json"))
                && readInstalledVersion(nodeDir).equals(version)) {
            return;
        }
        try {
            Files.createDirectories(nodeDir);
            Process npm = new ProcessBuilder("npm", "install", "--prefix", nodeDir.toAbsolutePath().toString(),
                    "--no-audit", "--no-fund", "--no-save", "ws@" + version)
                    .redirectErrorStream(true).redirectOutput(nodeDir.resolve("npm-install.log").toFile()).start();
            if (!npm.waitFor(INSTALL_SECONDS, TimeUnit.SECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm install ws@" + version + " did not finish within "
                        + INSTALL_SECONDS + " s; see " + nodeDir.resolve("npm-install.log"));
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("npm install ws@" + version + " exited with " + npm.exitValue()
                        + "; see " + nodeDir.resolve("npm-install.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readInstalledVersion(Path nodeDir) {
        try {
            String json = Files.readString(nodeDir.resolve("node_modules/ws/package.json"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            return m.find() ? m.group(1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
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
        return "ws " + version + " broadcast server (node)";
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
