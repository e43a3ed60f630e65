package chatroom.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One chat.v1 user who keeps talking through outages, as the page does: every message carries a client id and is
 * sent again until the server acknowledges it (the sender's own message comes back with its id); when the socket
 * closes, the user claims the nickname again and reconnects with {@code ?since=} the last id seen. Runs on a thread
 * of its own until {@link #close()}; what was acknowledged and how each connection ended are there to check.
 */
public final class ResumingChatter implements AutoCloseable {
    /** Ten messages a second: well under the per-connection rate limit (20 a second), so none is refused for it. */
    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Between attempts to reconnect while the server is away: a back-off, not a wait for an event. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final Duration POLL = Duration.ofMillis(100);

    private final ChatServer server;
    private final String name;
    private final Duration outage;
    private final Thread thread;
    /** Client id to the id the server gave it, in the order sent. */
    private final Map<String, Long> acknowledged = new LinkedHashMap<>();
    private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    /** The largest message id received; the thread's own. */
    private long lastSeen;
    private ChatClient client;

    private ResumingChatter(ChatServer server, String name, Duration outage) {
        this.server = server;
        this.name = name;
        this.outage = outage;
        this.thread = new Thread(this::run, "chatter-" + name);
    }

    /**
     * Starts chatting as {@code name}; a message the server has not acknowledged within {@code outage} (the longest
     * the server may be away) ends the chatter with a failure.
     */
    public static ResumingChatter start(ChatServer server, String name, Duration outage) {
        ResumingChatter chatter = new ResumingChatter(server, name, outage);
        chatter.client = chatter.reconnect(System.nanoTime() + outage.toNanos());
        chatter.thread.start();
        return chatter;
    }

    /** Messages acknowledged so far: client id to message id, in the order sent. */
    public Map<String, Long> acknowledged() {
        synchronized (acknowledged) {
            return new LinkedHashMap<>(acknowledged);
        }
    }

    /** The close status of every connection the server ended, in order. */
    public List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    public String name() {
        return name;
    }

    /** Stops after the message under way is acknowledged; rethrows what went wrong on the chatter's thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(outage.plusSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new AssertionError(name + " did not stop");
        }
        if (failure.get() != null) {
            throw new AssertionError(name + " failed", failure.get());
        }
    }

    private void run() {
        try {
            for (int n = 0; running; n++) {
                String cid = name + "-" + n;
                long id = deliver(cid);
                synchronized (acknowledged) {
                    acknowledged.put(cid, id);
                }
                LockSupport.parkNanos(PACE_NANOS);
            }
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            client.close();
        }
    }

    /** Sends until the server acknowledges, reconnecting as often as needed; returns the message's id. */
    private long deliver(String cid) {
        long deadline = System.nanoTime() + outage.toNanos();
        while (true) {
            if (!client.isClosed()) {
                try {
                    client.send(ChatClient.envelope("said " + cid, cid));
                } catch (AssertionError closing) {
                    // the server went away meanwhile: reconnect below and send again
                }
                Long id = awaitEcho(cid);
                if (id != null) {
                    return id;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(cid + " not acknowledged within " + outage + " (closes: " + closeCodes + ")");
            }
            if (client.isClosed()) {
                closeCodes.add(client.awaitClose().code());
                client = reconnect(deadline);
            }
        }
    }

    /** The id of this user's message {@code cid} once it comes back; null if the socket closed or refused it first. */
    private Long awaitEcho(String cid) {
        long deadline = System.nanoTime() + ChatClient.WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            String frame = client.frameWithin(POLL);
            if (frame == null) {
                if (client.isClosed()) {
                    return null;
                }
                continue;
            }
            for (String line : ChatClient.lines(frame)) {
                JsonObject envelope = parse(line);
                String type = envelope.getString("type", "");
                if (type.equals("error")) {
                    return null; // e.g. unavailable while the store stops: sent again
                }
                if (type.equals("message")) {
                    long id = envelope.getJsonNumber("id").longValue();
                    lastSeen = Math.max(lastSeen, id);
                    if (name.equals(envelope.getString("from")) && cid.equals(envelope.getString("cid", null))) {
                        return id;
                    }
                }
            }
        }
        return null;
    }

    /** Claims the nickname and opens a socket resuming after the last id seen, retrying until the deadline. */
    private ChatClient reconnect(long deadline) {
        Throwable last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                ChatClient next = new WebSession(server).nickname(name)
                        .connectChat(lastSeen == 0 ? null : "since=" + lastSeen);
                String first = next.frameWithin(ChatClient.WAIT);
                if (first != null && parse(ChatClient.lines(first).get(0)).getString("type").equals("welcome")) {
                    for (String line : ChatClient.lines(first).subList(1, ChatClient.lines(first).size())) {
                        noteSeen(parse(line));
                    }
                    return next;
                }
                next.close();
                last = new AssertionError("no welcome: " + first);
            } catch (AssertionError | RuntimeException e) { // refused or no answer while the webapp is away
                last = e;
            }
            LockSupport.parkNanos(RETRY_NANOS);
        }
        throw new AssertionError(name + " could not reconnect within " + outage, last);
    }

    private void noteSeen(JsonObject envelope) {
        if (envelope.getString("type", "").equals("message")) {
            lastSeen = Math.max(lastSeen, envelope.getJsonNumber("id").longValue());
        }
    }

    private static JsonObject parse(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }
}
