package chatroom.testing;

import static org.awaitility.Awaitility.await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real redis-server (Debian's) on a free 127.0.0.1 port, persistence off, as a child process. It can be stopped
 * and started again on the same port, which is how tests take Redis away in the middle of traffic.
 */
public final class RedisServer implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** How often a start-up is checked (also NginxServer's). */
    static final Duration POLL = Duration.ofMillis(50);

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Skips the calling test where redis-server is not installed, except in CI, where that is a failure. */
    public static void assumeInstalled() {
        SystemProgram.assumeInstalled(BINARY, "redis-server");
    }

    public static RedisServer start() {
        assumeInstalled();
        try {
            RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("chat-redis"));
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public int port() {
        return port;
    }

    /** Stops the server (SIGTERM: it finishes the command at hand first), losing all data: persistence is off. */
    public void stop() {
        if (process == null) {
            return;
        }
        Processes.stop(process, Duration.ofSeconds(10));
        process = null;
    }

    /** Starts it again on the same port, empty. */
    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
    }

    private void startProcess() {
        try {
            process = new ProcessBuilder(BINARY.toString(),
                    "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String failed = "redis-server did not start on port " + port + "; see " + dir;
        try {
            await().atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .failFast(failed, () -> !process.isAlive()).until(this::answersPing);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(failed, e);
        }
    }

    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free on 127.0.0.1 a moment ago (also NginxServer's). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
