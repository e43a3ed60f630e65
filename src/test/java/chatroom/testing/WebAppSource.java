package chatroom.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Where the webapp under test lives: the sources' webapp folder and the compiled classes, not a copy. */
final class WebAppSource {
    static final Path WEBAPP = Path.of("src/main/webapp").toAbsolutePath();
    static final Path CLASSES = Path.of("target/classes").toAbsolutePath();
    /**
     * SO_SNDBUF of the embedded containers' accepted sockets, as the README sets it for deployments: what a peer
     * that stops reading may hold of the server's kernel memory (Linux doubles it for its bookkeeping).
     */
    static final int SOCKET_SEND_BUFFER_BYTES = 64 * 1024;

    private WebAppSource() {
    }

    /**
     * The context-params with {@code chat.store.dir} set to {@code dir} unless the test chose one: every embedded
     * webapp gets its own history database, deleted with the server, instead of the shared default location.
     */
    static Map<String, String> withOwnStore(Map<String, String> contextParams, Path dir) {
        if (contextParams.containsKey("chat.store.dir")) {
            return contextParams;
        }
        Map<String, String> params = new HashMap<>(contextParams);
        params.put("chat.store.dir", dir.toString());
        return params;
    }

    /**
     * Every test visitor comes from 127.0.0.1, so with the real per-address budgets (20 nicknames at once and 10 a
     * minute, 200 connections, 100 messages a second, 16 MiB stored a day) a suite's hundreds of visitors would be
     * refused: they are many
     * people, not one. A test about those budgets sets its own values, which win.
     */
    static Map<String, String> testDefaults(Map<String, String> contextParams) {
        Map<String, String> params = new HashMap<>(contextParams);
        params.putIfAbsent("chat.nickname.claimBurst", "1000000");
        params.putIfAbsent("chat.nickname.claimsPerMinute", "1000000");
        params.putIfAbsent("chat.connections.perAddress", "1000000");
        params.putIfAbsent("chat.rate.perAddress", "1000000");
        params.putIfAbsent("chat.rate.burstPerAddress", "1000000");
        params.putIfAbsent("chat.store.bytesPerClientPerDay", "0");
        return params;
    }

    static void check() {
        if (!Files.isDirectory(CLASSES.resolve("chatroom"))) {
            throw new IllegalStateException("no compiled webapp classes in " + CLASSES + ": run through mvn verify");
        }
    }
}
