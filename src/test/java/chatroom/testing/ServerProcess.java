package chatroom.testing;

import static org.awaitility.Awaitility.await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A servlet container from a standalone distribution, running as its own OS process in a base directory of its
 * own: output captured to a log file, bounded waits on that log and on HTTP, and a teardown that leaves neither a
 * process nor a directory behind. The container-specific parts live in {@link StandaloneTomcat} and
 * {@link StandaloneJetty}.
 */
final class ServerProcess implements AutoCloseable {
    /**
     * Generous: a start takes a few seconds, but test classes run in several JVMs at once and other builds may share
     * the machine's two cores (a start once took over a minute at a load average of 22).
     */
    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);
    /** The WAR is deployed as webapps/chatroom.war, so both containers serve it under /chatroom/. */
    private static final String CONTEXT = "chatroom";
    private static final System.Logger LOG = System.getLogger(ServerProcess.class.getName());

    /** Fills the fresh base directory and returns the command that starts the server. */
    interface Setup {
        List<String> prepare(ServerProcess server) throws IOException;
    }

    private final Path home;
    private final String name;
    private final Path base;
    private final Path log;
    private final Thread reaper = new Thread(this::stop, "reaper");
    private Process process;
    private int port;
    private Path webapps;

    private ServerProcess(Path home) throws IOException {
        this.home = home;
        this.name = home.getFileName().toString();
        this.base = Files.createTempDirectory("chat-" + name + "-");
        this.log = base.resolve("server.log");
    }

    /**
     * Finds the distribution (see {@link #distribution}), prepares a fresh base, starts the server, reads its port from
     * the log line {@code portLine} (group 1) and waits until the webapp's page answers 200. On any failure nothing is
     * left running and the message carries the log.
     */
    static ServerProcess launch(String distributionPrefix, Setup setup, Pattern portLine) {
        Path home = distribution(distributionPrefix);
        long begin = System.nanoTime();
        ServerProcess server;
        try {
            server = new ServerProcess(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<String> command = setup.prepare(server);
            long prepared = System.nanoTime();
            server.start(command);
            server.port = Integer.parseInt(server.awaitLog(portLine, START_TIMEOUT).group(1));
            long listening = System.nanoTime();
            server.awaitOk(server.pageUri(), START_TIMEOUT);
            long ready = System.nanoTime();
            LOG.log(System.Logger.Level.INFO, "{0} serves {1}: base prepared in {2} ms, process listening after {3} ms,"
                    + " first page (JSP compiled) after {4} ms more", server.name, server.pageUri(),
                    millis(prepared - begin), millis(listening - prepared), millis(ready - listening));
            return server;
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException(server.name + ": could not prepare " + server.base, e);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    /** The distribution's folder, e.g. apache-tomcat-11.0.24. */
    String name() {
        return name;
    }

    /** The unpacked distribution, used in place and never written to. */
    Path home() {
        return home;
    }

    /** The fresh folder this server's configuration, deployment and log live in; close() deletes it. */
    Path base() {
        return base;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    URI pageUri() {
        return URI.create("http://127.0.0.1:" + port + "/" + CONTEXT + "/");
    }

    /** Runs a setup step to completion (bounded); its output goes to the same log. */
    void run(List<String> command, Duration timeout) {
        Process step = spawn(command);
        try {
            if (!step.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                step.destroyForcibly();
                throw failure("setup step did not finish within " + timeout + ": " + command);
            }
        } catch (InterruptedException e) {
            step.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (step.exitValue() != 0) {
            throw failure("setup step exited with " + step.exitValue() + ": " + command);
        }
    }

    /** Copies the WAR under test into the container's deployment folder, named for the context path. */
    void deployWar(Path webapps) throws IOException {
        Files.createDirectories(webapps);
        this.webapps = webapps;
        Files.copy(war(), webapps.resolve(CONTEXT + ".war"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Replaces the deployed WAR while the container runs, as an operator's copy would, but in one atomic rename (a
     * scanner never sees half a file) and with a modification time later than the last one's, which is what both
     * containers' scanners look at.
     */
    void replaceWar(Path war) throws IOException {
        Path deployed = webapps.resolve(CONTEXT + ".war");
        Path next = base.resolve(CONTEXT + ".war.next"); // outside webapps/: never deployed itself
        Files.copy(war, next, StandardCopyOption.REPLACE_EXISTING);
        FileTime previous = Files.getLastModifiedTime(deployed);
        FileTime now = FileTime.fromMillis(Math.max(System.currentTimeMillis(), previous.toMillis() + 1000));
        Files.setLastModifiedTime(next, now);
        Files.move(next, deployed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void start(List<String> command) {
        process = spawn(command);
        // Should the test JVM end without close() (a crashed run), the container must not outlive it.
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    private Process spawn(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Process started = builder.start();
            started.getOutputStream().close(); // no stdin: the containers must not wait for a console
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": could not start " + command, e);
        }
    }

    /** Polls the log until the pattern matches; fails at once if the process ends first. */
    Matcher awaitLog(Pattern pattern, Duration timeout) {
        try {
            return await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
                Matcher matcher = pattern.matcher(logText());
                if (matcher.find()) {
                    return matcher;
                }
                failIfExited("before logging /" + pattern + "/");
                return null;
            }, Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            throw failure("no log line matching /" + pattern + "/ within " + timeout);
        }
    }

    /**
     * Polls until GET answers 200. Refused connections and 503 (still starting) are retried; any other status means
     * the webapp did not deploy, and fails at once.
     */
    void awaitOk(URI uri, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String[] last = {"no answer"};
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> {
                failIfExited("before " + uri + " answered");
                try {
                    int status = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status != 200 && status != 503) {
                        throw failure(uri + " answered " + status + " (did the webapp deploy?)");
                    }
                    last[0] = "status " + status;
                    return status == 200;
                } catch (IOException e) {
                    last[0] = e.toString();
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw failure(uri + " did not answer 200 within " + timeout + "; last: " + last[0]);
        }
    }

    private void failIfExited(String when) {
        if (process != null && !process.isAlive()) {
            throw failure("process exited with " + process.exitValue() + " " + when);
        }
    }

    private IllegalStateException failure(String message) {
        List<String> lines = logText().lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        return new IllegalStateException(name + ": " + message + "\n--- last lines of " + log + " ---\n" + tail);
    }

    /** Everything the container has logged so far (its standard output and error). */
    String logText() {
        try {
            // Not readString: the container may be half-way through writing a multi-byte character.
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }


    /**
     * Stops the container (SIGTERM first, so it runs its own shutdown and closes sockets with 1001; forcibly after a
     * bounded wait), keeps a copy of its log next to the WAR and deletes the base directory.
     */
    @Override
    public void close() {
        stop();
        if (process != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to; it only stops what is already stopped
            }
        }
        keepLog();
        Folders.deleteTree(base);
    }

    private void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        if (!exited(process, STOP_TIMEOUT)) {
            LOG.log(System.Logger.Level.WARNING, "{0} did not stop within {1}: killing it", name, STOP_TIMEOUT);
            process.destroyForcibly();
            exited(process, STOP_TIMEOUT);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean exited(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The base is deleted; its log is worth keeping for a failed build (target/standalone-logs/). */
    private void keepLog() {
        try {
            Path kept = war().toAbsolutePath().getParent().resolve("standalone-logs");
            Files.createDirectories(kept);
            if (Files.exists(log)) {
                Files.copy(log, kept.resolve(name + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "could not keep the log of " + name, e);
        }
    }

    /** The {@code java} of the JVM running the tests, so the containers run on the same Java. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The WAR under test, as built by the package phase. */
    static Path war() {
        Path war = Path.of(System.getProperty("chat.test.war", "target/chatroom.war")).toAbsolutePath();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("no WAR at " + war + ": the drop-in tests deploy the packaged WAR;"
                    + " run them through `mvn verify` (e.g. mvn -B verify -Dit.test=StandaloneDropInIT)");
        }
        return war;
    }

    /** The unpacked distribution whose folder name starts with the prefix, e.g. target/dist/apache-tomcat-11.0.24. */
    private static Path distribution(String prefix) {
        Path dist = Path.of(System.getProperty("chat.test.dist", "target/dist")).toAbsolutePath();
        List<Path> found;
        try (Stream<Path> entries = Files.isDirectory(dist) ? Files.list(dist) : Stream.empty()) {
            found = entries.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        throw new IllegalStateException(found.isEmpty()
                ? "no " + prefix + "* distribution in " + dist + ": the standalone Tomcat and Jetty are unpacked there"
                        + " by the pre-integration-test phase; run `mvn verify`"
                        + " (e.g. mvn -B verify -Dit.test=StandaloneDropInIT), not the test class alone"
                : "several " + prefix + "* distributions in " + dist + " " + found + ": run `mvn clean verify`");
    }
}
