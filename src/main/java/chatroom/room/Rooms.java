package chatroom.room;

import chatroom.ChatSettings;
import chatroom.Clock;
import chatroom.client.AddressConnections;
import chatroom.cluster.PresenceBus;
import chatroom.connection.Peer;
import chatroom.log.MessageLog;
import chatroom.wire.ChatMessage;
import chatroom.wire.Frame;
import chatroom.wire.Protocol;
import chatroom.wire.RoomName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.LongStream;

/**
 * The rooms of a deployment (the hub): which exist, which are in memory, and what a client shares across them (its
 * message budgets, its connection cap, the counters). It hears the one {@link MessageLog} and hands each room its
 * own messages; the {@link FanOut} starts the sends of the rooms that got some, so a message costs its own room's
 * members and nothing that grows with the number of rooms.
 *
 * <p>A room comes into memory with its first member and leaves a while after its last ({@link #evictIdle}); its
 * history stays in the log's keeping and comes back with the next visitor.
 */
public final class Rooms implements MessageLog.Listener, PresenceBus.Listener {
    /** What {@link #rooms} lists at most. */
    public static final int LISTED_AT_MOST = 100;

    private final ChatSettings settings;
    private final ChatSettings.RoomSettings config;
    private final MessageLog log;
    private final Clock clock;
    private final FanOut fanOut;
    private final RoomCounters counters = new RoomCounters();
    private final Member.Factory members;
    private final AddressConnections perAddress;
    private final ConcurrentHashMap<String, Room> live = new ConcurrentHashMap<>();
    /** Per fan-out share: the rooms that got messages since that share last sent. */
    private final List<Set<Room>> delivered = new ArrayList<>();
    /** The other nodes' users by room, as last heard (empty on one node). */
    private volatile Map<String, Set<String>> remote = Map.of();

    /** The caller then starts the log and the presence bus with these rooms as their listener (ChatApplication). */
    public Rooms(ChatSettings settings, MessageLog log, Clock clock, Executor io, FanOut fanOut) {
        this(settings, log, clock, io, fanOut, Gate.OPEN);
    }

    /** The same, with moderation's {@link Gate} asked on every join and post. */
    public Rooms(ChatSettings settings, MessageLog log, Clock clock, Executor io, FanOut fanOut, Gate gate) {
        this.settings = settings;
        this.config = settings.rooms();
        this.log = log;
        this.clock = clock;
        this.fanOut = fanOut;
        this.members = new Member.Factory(settings, clock, io, counters, gate);
        this.perAddress = new AddressConnections(settings.connectionsPerAddress());
        for (int share = 0; share < fanOut.shares(); share++) {
            delivered.add(ConcurrentHashMap.newKeySet());
        }
    }

    /** A room's name as the client gave it (null: the default room), checked; null when not a room here. */
    public String resolve(String requested) {
        if (requested == null || requested.isEmpty()) {
            return config.defaultRoom();
        }
        String room = RoomName.parse(requested);
        return room != null && config.allows(room) ? room : null;
    }

    /** The default room, in memory from the start. */
    public Room defaultRoom() {
        return openRoom(config.defaultRoom());
    }

    /**
     * Joins a member to a room (which {@link #resolve} accepted): in memory from now on. A null room when
     * {@code chat.rooms.max} rooms are in memory and none is empty; a null member when the client already holds
     * its connections' cap.
     */
    public Joined join(String roomName, Peer peer, Protocol protocol, String user, String address, String since) {
        return join(roomName, peer, protocol, Visitor.named(user, address), since);
    }

    /** The same for a visitor as the handshake found them (signed in, a moderator). */
    public Joined join(String roomName, Peer peer, Protocol protocol, Visitor visitor, String since) {
        Room room = arrive(roomName);
        if (room == null) {
            return new Joined(null, null);
        }
        try {
            room.open();
            return new Joined(room, room.join(peer, protocol, visitor, since));
        } finally {
            room.arrived();
        }
    }

    /** The outcome of {@link #join}. */
    public record Joined(Room room, Member member) {
    }

    /** The room, in memory and open, for a page or a history read (null when full). */
    public Room openRoom(String roomName) {
        Room room = arrive(roomName);
        if (room == null) {
            return null;
        }
        try {
            room.open();
            return room;
        } finally {
            room.arrived();
        }
    }

    /**
     * The room, counted as arriving (so it stays in memory), made if needed; null when no room can be made. A full
     * deployment lets one empty room go per try, so the tries end when no room is empty.
     */
    private Room arrive(String roomName) {
        do {
            Room room = live.compute(roomName, (name, existing) -> {
                Room r = existing != null ? existing : fits() ? newRoom(name) : null;
                if (r != null) {
                    r.arriving();
                }
                return r;
            });
            if (room != null) {
                return room;
            }
        } while (makeSpace());
        return null;
    }

    private boolean fits() {
        return live.size() < config.max();
    }

    /** Lets an empty room (never the default one) go to make space; false when every room has people in it. */
    private boolean makeSpace() {
        for (Room candidate : live.values()) {
            if (!isDefault(candidate) && candidate.empty() && retire(candidate, Long.MAX_VALUE, 0)) {
                return true;
            }
        }
        return false;
    }

    private Room newRoom(String name) {
        return new Room(name, settings, log, clock, members, perAddress, counters);
    }

    /**
     * Rooms nobody has been in for {@code chat.rooms.idleMillis} leave memory (housekeeping); the default room stays.
     */
    public void evictIdle() {
        long now = clock.nanoTime();
        long idle = TimeUnit.MILLISECONDS.toNanos(config.idleMillis());
        for (Room room : live.values()) {
            if (!isDefault(room)) {
                retire(room, now, idle);
            }
        }
    }

    private boolean isDefault(Room room) {
        return room.name().equals(config.defaultRoom());
    }

    /** Removes the room if it is idle, while holding it: nobody can arrive meanwhile. True when it left. */
    private boolean retire(Room room, long now, long idle) {
        boolean[] retired = {false};
        live.computeIfPresent(room.name(), (name, current) -> {
            if (current == room && room.idle(now, idle)) {
                retired[0] = true;
                return null;
            }
            return current;
        });
        if (retired[0]) {
            log.forget(room.name());
        }
        return retired[0];
    }

    /** Each delivered message to its room, if the room is in memory here (else it is in the log for later). */
    @Override
    public void deliver(List<ChatMessage> messages) {
        String current = null;
        int from = 0;
        for (int i = 0; i <= messages.size(); i++) {
            String room = i < messages.size() ? messages.get(i).room() : null;
            if (i == messages.size() || !room.equals(current)) {
                if (current != null) {
                    deliverTo(current, messages.subList(from, i));
                }
                current = room;
                from = i;
            }
        }
    }

    private void deliverTo(String roomName, List<ChatMessage> messages) {
        Room room = live.get(roomName);
        if (room != null) {
            room.deliver(messages);
            for (Set<Room> share : delivered) {
                share.add(room);
            }
        }
    }

    /** After the log delivered: the fan-out starts the sends of the rooms that got messages. */
    @Override
    public void flush() {
        fanOut.flush(this::sendDelivered);
    }

    private void sendDelivered(int share, int shares) {
        Set<Room> pending = delivered.get(share);
        for (Room room : pending) {
            pending.remove(room); // before sending: a delivery from now on marks it again
            room.sendQueued(share, shares);
        }
    }

    @Override
    public Map<String, Set<String>> localUsers() {
        Map<String, Set<String>> users = new HashMap<>();
        for (Room room : live.values()) {
            Set<String> here = room.localUsers();
            if (!here.isEmpty()) {
                users.put(room.name(), here);
            }
        }
        return users;
    }

    @Override
    public void remoteUsers(Map<String, Set<String>> users) {
        remote = users;
        for (Room room : live.values()) {
            room.remoteUsers(users.getOrDefault(room.name(), Set.of()));
        }
    }

    /** A room people are in and how many, for {@code GET /rooms}. */
    public record Listing(String name, int online) {
    }

    /** The rooms people are in (on any node), busiest first, at most {@link #LISTED_AT_MOST}. */
    public List<Listing> rooms() {
        Map<String, Integer> online = new HashMap<>();
        for (Room room : live.values()) {
            int here = room.online();
            if (here > 0) {
                online.put(room.name(), here);
            }
        }
        remote.forEach((room, users) -> online.putIfAbsent(room, users.size())); // rooms only other nodes hold
        return online.entrySet().stream()
                .map(entry -> new Listing(entry.getKey(), entry.getValue()))
                .sorted(Comparator.comparingInt(Listing::online).reversed().thenComparing(Listing::name))
                .limit(LISTED_AT_MOST)
                .toList();
    }

    /** Sends held-back presence changes, room by room (a timer calls this often; cheap when nothing is due). */
    public void publishPresence() {
        live.values().forEach(Room::publishPresence);
    }

    /**
     * Sends away every connection of {@code who} in every room here (a moderator's kick or ban): its last word,
     * then the close. How many there were.
     */
    public int sendAway(Predicate<Person> who, Expulsion why, Gate.Sendoff sendoff) {
        int sent = 0;
        for (Room room : live.values()) {
            sent += room.sendAway(who, why, sendoff);
        }
        return sent;
    }

    /** Queues the notice {@code noticeFor} has for each chat.v1 member of every room here (null: none). */
    public void tell(Function<Person, Frame> noticeFor) {
        live.values().forEach(room -> room.tell(noticeFor));
    }

    /** The same for the members of one room, if it is in memory here. */
    public void tell(String roomName, Function<Person, Frame> noticeFor) {
        Room room = live.get(roomName);
        if (room != null) {
            room.tell(noticeFor);
        }
    }

    /** The people connected here who are {@code who}, once per connection. */
    public List<Person> connected(Predicate<Person> who) {
        List<Person> found = new ArrayList<>();
        for (Room room : live.values()) {
            for (Member member : room.members()) {
                if (who.test(member.person())) {
                    found.add(member.person());
                }
            }
        }
        return found;
    }

    /** Whether {@code name} is online in any room on another node (as last heard; never on one node). */
    public boolean onlineElsewhere(String name) {
        for (Set<String> users : remote.values()) {
            if (users.contains(name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a client at {@code address} may open one more connection, in any room (the handshake asks). */
    public boolean admits(String address) {
        return perAddress.admits(address);
    }

    /** Forgets idle message budgets (housekeeping). */
    void evictIdleBudgets() {
        members.budgets().evictIdle(clock.nanoTime());
    }

    /** The rooms in memory now. */
    public Collection<Room> live() {
        return live.values();
    }

    public int connections() {
        int connections = 0;
        for (Room room : live.values()) {
            connections += room.connections();
        }
        return connections;
    }

    public RoomCounters counters() {
        return counters;
    }

    /** Live bytes waiting in each member's outbox, in every room, for the gauges. */
    public LongStream queuedBytes() {
        return live.values().stream().flatMapToLong(Room::queuedBytes);
    }

    /** Closes every connection in every room with 1001, so clients reconnect (and resume) elsewhere or later. */
    public void shutdown() {
        live.values().forEach(Room::shutdown);
        fanOut.close();
    }
}
