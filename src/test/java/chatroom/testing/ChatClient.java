package chatroom.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A real WebSocket client for tests (the JDK's, so it works against either container without picking a
 * provider): every received text frame in a queue, the close status, the first error. Every wait is bounded.
 */
public final class ChatClient implements WebSocket.Listener, AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Whole text frames as received. */
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    /** chat.v1 envelopes of frames already taken, not yet returned (a frame may carry several). */
    private final ArrayDeque<String> pendingLines = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private final Object sendLock = new Object();
    /** When set, whole frames go here instead of into {@link #frames}. */
    private Consumer<CharSequence> sink;
    private WebSocket socket;

    public record Closed(int code, String reason) {
    }

    public static final class Options {
        private String subprotocol;
        private String cookie;
        private String origin;
        private Consumer<CharSequence> sink;

        public Options chatV1() {
            subprotocol = "chat.v1";
            return this;
        }

        public Options cookie(String cookie) {
            this.cookie = cookie;
            return this;
        }

        public Options origin(String origin) {
            this.origin = origin;
            return this;
        }

        /**
         * Hands every whole text frame to {@code sink} (on the client's thread, one frame at a time, valid only
         * during the call) instead of keeping it: for load tests that count rather than store. A failure thrown by
         * the sink becomes the client's {@link #error()}.
         */
        public Options onFrame(Consumer<CharSequence> sink) {
            this.sink = sink;
            return this;
        }
    }

    /** A plain (no subprotocol) client of that server. */
    public static ChatClient plain(ChatServer server) {
        return connect(server.socketUri(null), options());
    }

    /** A chat.v1 message envelope, properly escaped. */
    public static String envelope(String text, String cid) {
        return Json.createObjectBuilder().add("type", "message").add("text", text).add("cid", cid).build().toString();
    }

    public static Options options() {
        return new Options();
    }

    public static ChatClient connect(URI uri, Options options) {
        ChatClient client = new ChatClient();
        client.sink = options.sink;
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        if (options.subprotocol != null) {
            builder.subprotocols(options.subprotocol);
        }
        if (options.cookie != null) {
            builder.header("Cookie", options.cookie);
        }
        if (options.origin != null) {
            builder.header("Origin", options.origin);
        }
        try {
            client.socket = builder.buildAsync(uri, client).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new HandshakeFailed(e.getCause() != null ? e.getCause() : e);
        }
        return client;
    }

    /** A refused or failed handshake; {@link #status()} is the HTTP status when the server answered one. */
    public static final class HandshakeFailed extends RuntimeException {
        HandshakeFailed(Throwable cause) {
            super(cause);
        }

        public int status() {
            return getCause() instanceof WebSocketHandshakeException refused ? refused.getResponse().statusCode() : -1;
        }
    }

    public String subprotocol() {
        return socket.getSubprotocol();
    }

    /** Sends one whole text frame and waits until the JDK has written it (it allows one send at a time). */
    public void send(String text) {
        synchronized (sendLock) {
            await(socket.sendText(text, true), "send");
        }
    }

    public void sendBinary(byte[] data) {
        synchronized (sendLock) {
            await(socket.sendBinary(ByteBuffer.wrap(data), true), "send");
        }
    }

    /** The next whole text frame; fails after {@link #WAIT}. */
    public String nextFrame() {
        try {
            String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT
                        + (closed.isDone() ? "; closed " + closed.join() : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame if one arrives within the given time, else null: for asserting that nothing comes. */
    public String frameWithin(Duration wait) {
        try {
            return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next chat.v1 envelope (one line of a frame). */
    public JsonObject next() {
        if (pendingLines.isEmpty()) {
            for (String line : nextFrame().split("\n")) {
                if (!line.isEmpty()) {
                    pendingLines.add(line);
                }
            }
        }
        return parse(pendingLines.poll());
    }

    /** One line of a chat.v1 frame as the JSON object it is. */
    public static JsonObject parse(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }

    /** A presence frame that names {@code user} among those who came online. */
    public static Predicate<JsonObject> arrived(String user) {
        return envelope -> names(envelope, "joined").contains(user);
    }

    /** A presence frame that names {@code user} among those who went offline. */
    public static Predicate<JsonObject> departed(String user) {
        return envelope -> names(envelope, "left").contains(user);
    }

    /** The names in a presence frame's {@code joined} or {@code left} list; empty for any other envelope. */
    public static List<String> names(JsonObject envelope, String list) {
        if (!"presence".equals(envelope.getString("type", null)) || !envelope.containsKey(list)) {
            return List.of();
        }
        return envelope.getJsonArray(list).getValuesAs(jakarta.json.JsonString::getString);
    }

    /** The next envelope of this type, skipping others (presence noise) on the way. */
    public JsonObject next(String type) {
        return next(envelope -> type.equals(envelope.getString("type")));
    }

    public JsonObject next(Predicate<JsonObject> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonObject envelope = next();
            if (wanted.test(envelope)) {
                return envelope;
            }
        }
        throw new AssertionError("no matching envelope within " + WAIT);
    }

    /** Waits for the close frame (or the connection's end) and returns its status. */
    public Closed awaitClose() {
        return awaitClose(WAIT);
    }

    public Closed awaitClose(Duration wait) {
        try {
            return closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("not closed within " + wait, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close frame, as a vanished peer would. */
    public void abort() {
        socket.abort();
    }

    /** The first error the client saw, to rethrow on the test thread; null if none. */
    public Throwable error() {
        return error.get();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                synchronized (sendLock) {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                socket.abort();
            }
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (sink != null && last && partial.isEmpty()) {
            deliver(data);
        } else {
            partial.append(data);
            if (last) {
                deliver(partial);
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    private void deliver(CharSequence frame) {
        if (sink == null) {
            frames.add(frame.toString());
            return;
        }
        try {
            sink.accept(frame);
        } catch (RuntimeException | AssertionError e) {
            error.compareAndSet(null, e);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable failure) {
        error.compareAndSet(null, failure);
        closed.complete(new Closed(-1, String.valueOf(failure)));
    }

    private static void await(CompletableFuture<?> future, String what) {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException | TimeoutException | CompletionException e) {
            throw new AssertionError(what + " failed", e);
        }
    }

    /** The envelopes of one chat.v1 frame (a batched frame carries several, one per line). */
    public static List<String> lines(String frame) {
        return List.of(frame.split("\n"));
    }
}
