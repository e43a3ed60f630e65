package chatroom;

import chatroom.client.ClientKey;
import chatroom.client.TrustedProxies;
import chatroom.store.StoreSettings;
import chatroom.wire.RoomName;
import jakarta.servlet.ServletContext;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every operator-facing setting, read once when the webapp starts.
 *
 * <p>Each setting {@code <name>} is looked up as system property {@code chat.<name>}, then environment variable
 * {@code CHAT_<NAME>} (dots become underscores), then the web.xml context-param {@code chat.<name>}, then the
 * default here. The same precedence holds in every container, so a WAR can be tuned without being rebuilt.
 */
public record ChatSettings(
        int historySize,
        int pageHistory,
        int replayMaxBytes,
        long replayInFlightBytes,
        int maxMessageBytes,
        int maxTextLength,
        int ratePerSecond,
        int rateBurst,
        long outboxMaxBytes,
        boolean sendBatching,
        long sendTimeoutMillis,
        long closeGraceMillis,
        long pingIntervalMillis,
        long idleTimeoutMillis,
        List<String> allowedOrigins,
        String redisUrl,
        long presenceTtlMillis,
        TrustedProxies trustedProxies,
        long presenceIntervalMillis,
        int connectionsPerAddress,
        int ratePerAddress,
        int rateBurstPerAddress,
        int nicknameClaimsPerMinute,
        int nicknameClaimBurst,
        int sessionTimeoutSeconds,
        RoomSettings rooms,
        ClientKey clientKey,
        boolean sessionHostCookie,
        int historyRequestsPerMinute,
        int historyRequestBurst,
        StoreSettings store,
        Guests guests) {

    /**
     * Which rooms exist and how many stay in memory.
     *
     * @param defaultRoom {@code chat.rooms.default}: the room of {@code /} and of {@code /message} without a room
     * @param open        {@code chat.rooms.open}: a valid name makes its room on first use; false: only
     *                    {@code listed} and the default room exist
     * @param listed      {@code chat.rooms}: rooms that always exist (and, when not open, the only ones)
     * @param max         {@code chat.rooms.max}: rooms in memory at most; an empty one leaves to make room
     * @param idleMillis  {@code chat.rooms.idleMillis}: a room nobody is in leaves memory after this long
     */
    public record RoomSettings(String defaultRoom, boolean open, List<String> listed, int max, long idleMillis) {
        /** Whether a room of this (valid) name may exist. */
        public boolean allows(String room) {
            return open || room.equals(defaultRoom) || listed.contains(room);
        }
    }

    /** Defaults of ../shared/DESIGN.md, for code (tests, tools) that has no ServletContext. */
    public static ChatSettings defaults() {
        return read(name -> null);
    }

    public static ChatSettings from(ServletContext context) {
        return read(name -> lookup(name, context));
    }

    /** Settings from any source of values by name (e.g. "history.size"); null for a default. */
    public static ChatSettings read(Function<String, String> source) {
        Reader r = new Reader(source);
        ClientKey clientKey = r.clientKey("clients.ipv6PrefixLength");
        return new ChatSettings(
                r.integer("history.size", 1000, 1),
                r.integer("page.history", 100, 0),
                r.integer("replay.maxBytes", 4 * 1024 * 1024, 64 * 1024),
                r.integer("replay.inFlightBytes", 16 * 1024 * 1024, 64 * 1024),
                r.integer("message.maxBytes", 8 * 1024, 64),
                r.integer("text.maxLength", 2000, 1),
                r.integer("rate.perSecond", 20, 1),
                r.integer("rate.burst", 40, 1),
                r.integer("outbox.maxBytes", 16 * 1024 * 1024, 1024),
                r.flag("send.batching", false),
                r.integer("send.timeoutMillis", 10_000, 1),
                r.integer("close.graceMillis", 60_000, 0),
                r.integer("ping.intervalMillis", 25_000, 0),
                r.integer("idle.timeoutMillis", 60_000, 0),
                r.list("origins.allowed"),
                r.text("redis.url"),
                r.integer("redis.presenceTtlMillis", 30_000, 1000),
                r.proxies("proxies.trusted", clientKey),
                r.integer("presence.intervalMillis", 1000, 50),
                r.integer("connections.perAddress", 200, 1),
                r.integer("rate.perAddress", 100, 1),
                r.integer("rate.burstPerAddress", 200, 1),
                r.integer("nickname.claimsPerMinute", 10, 1),
                r.integer("nickname.claimBurst", 20, 1),
                r.integer("session.timeoutSeconds", 1800, 1),
                new RoomSettings(
                        r.roomName("rooms.default", "general"),
                        r.flag("rooms.open", true),
                        r.list("rooms").stream().map(room -> Reader.room("rooms", room)).toList(),
                        r.integer("rooms.max", 10_000, 1),
                        r.integer("rooms.idleMillis", 60_000, 0)),
                clientKey,
                r.flag("session.hostCookie", false),
                r.integer("history.requestsPerMinute", 60, 1),
                r.integer("history.requestBurst", 30, 1),
                new StoreSettings(
                        r.flag("store.enabled", true),
                        r.text("store.dir"),
                        r.integer("store.keepDays", 0, 0),
                        r.integer("store.keepMessages", StoreSettings.DEFAULT_KEEP_MESSAGES, 0),
                        r.integer("store.purgeIntervalMillis", 3_600_000, 1000),
                        r.longInteger("store.bytesPerClientPerDay", StoreSettings.DEFAULT_BYTES_PER_CLIENT_PER_DAY),
                        r.longInteger("store.minFreeBytes", StoreSettings.DEFAULT_MIN_FREE_BYTES)),
                r.guests("guests"));
    }

    private static String lookup(String name, ServletContext context) {
        String value = System.getProperty("chat." + name);
        if (value == null) {
            value = System.getenv("CHAT_" + name.replace('.', '_').toUpperCase(Locale.ROOT));
        }
        if (value == null && context != null) {
            value = context.getInitParameter("chat." + name);
        }
        return value;
    }

    private record Reader(Function<String, String> source) {
        int integer(String name, int fallback, int min) {
            String value = source.apply(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                int parsed = Integer.parseInt(value.trim());
                if (parsed < min) {
                    throw new IllegalArgumentException("chat." + name + " must be at least " + min + ", got " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("chat." + name + " is not a whole number: " + value, e);
            }
        }

        /** A count of bytes, which may pass 2^31: at least 0. */
        long longInteger(String name, long fallback) {
            String value = source.apply(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value.trim());
                if (parsed < 0) {
                    throw new IllegalArgumentException("chat." + name + " must be at least 0, got " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("chat." + name + " is not a whole number: " + value, e);
            }
        }

        boolean flag(String name, boolean fallback) {
            String value = source.apply(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("chat." + name + " must be true or false, got " + value);
            };
        }

        /** A room's name (lower-cased), or the fallback when unset; not a valid name stops the start. */
        String roomName(String name, String fallback) {
            String value = text(name);
            return value == null ? fallback : room(name, value);
        }

        static String room(String setting, String value) {
            String room = RoomName.parse(value);
            if (room == null) {
                throw new IllegalArgumentException("chat." + setting + ": " + value + " is not a room's name ("
                        + RoomName.rule() + ")");
            }
            return room;
        }

        /** Null when unset or blank. */
        String text(String name) {
            String value = source.apply(name);
            return value == null || value.isBlank() ? null : value.trim();
        }

        List<String> list(String name) {
            String value = source.apply(name);
            if (value == null || value.isBlank()) {
                return List.of();
            }
            return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }

        Guests guests(String name) {
            Guests guests = Guests.parse(name, source.apply(name));
            return guests == null ? Guests.POST : guests;
        }

        ClientKey clientKey(String name) {
            int length = integer(name, ClientKey.DEFAULT_IPV6_PREFIX_LENGTH, 1);
            if (length > 128) {
                throw new IllegalArgumentException("chat." + name + " must be at most 128, got " + length);
            }
            return new ClientKey(length);
        }

        TrustedProxies proxies(String name, ClientKey clientKey) {
            try {
                return TrustedProxies.parse(list(name), clientKey);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("chat." + name + ": " + e.getMessage(), e);
            }
        }
    }
}
