package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.Container;
import chatroom.testing.Folders;
import chatroom.testing.RedisServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Two nodes of one deployment through one real redis-server, each with a store of its own (as two machines would
 * have), relaxed flow limits: node A in one embedded container, node B in another (one of each, so both containers
 * take part). Either node can be stopped and started again on the same settings and store.
 */
final class TwoNodes implements AutoCloseable {
    private final RedisServer redis;
    private final Container containerA;
    private final Container containerB;
    private final Map<String, String> settings;
    private final Path storeA;
    private final Path storeB;
    private ChatServer a;
    private ChatServer b;

    private TwoNodes(Container containerA, Container containerB, Map<String, String> settings) throws IOException {
        this.containerA = containerA;
        this.containerB = containerB;
        this.storeA = Files.createTempDirectory("chat-node-a");
        this.storeB = Files.createTempDirectory("chat-node-b");
        this.redis = RedisServer.start();
        this.settings = new HashMap<>(ServerSuite.RELAXED);
        this.settings.put("chat.redis.url", redis.url());
        this.settings.putAll(settings);
    }

    /** Redis, then node A in {@code containerA}, node B in {@code containerB}, with these settings on top. */
    static TwoNodes start(Container containerA, Container containerB, Map<String, String> settings) {
        TwoNodes nodes;
        try {
            nodes = new TwoNodes(containerA, containerB, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            nodes.startA();
            nodes.startB();
            return nodes;
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    /** Node A embedded Jetty, node B embedded Tomcat. */
    static TwoNodes jettyAndTomcat(Map<String, String> settings) {
        return start(Container.JETTY, Container.TOMCAT, settings);
    }

    ChatServer a() {
        return a;
    }

    ChatServer b() {
        return b;
    }

    RedisServer redis() {
        return redis;
    }

    void startA() {
        a = containerA.start(with(storeA));
    }

    void startB() {
        b = containerB.start(with(storeB));
    }

    void stopA() {
        a = stopped(a);
    }

    void stopB() {
        b = stopped(b);
    }

    private Map<String, String> with(Path store) {
        Map<String, String> params = new HashMap<>(settings);
        params.put("chat.store.dir", store.toString());
        return params;
    }

    private static ChatServer stopped(ChatServer node) {
        if (node != null) {
            node.close();
        }
        return null;
    }

    /** Every part closed even when one fails: a server left running outlives the test JVM. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (Runnable step : new Runnable[] {this::stopB, this::stopA, redis::close,
                () -> delete(storeA), () -> delete(storeB)}) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void delete(Path dir) {
        Folders.deleteTree(dir);
    }
}
