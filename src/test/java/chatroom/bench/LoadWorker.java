package chatroom.bench;

import chatroom.testing.Handshake;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One load-generator process: many WebSocket client connections on one selector thread, with RFC 6455 client
 * framing written by hand (masked text frames out; unmasked frames of any length, fragments, ping, pong and close
 * in), so a connection costs a socket and a few hundred bytes rather than the threads and buffers of a full client.
 *
 * <p>Driven by {@link Bench} over stdin/stdout, one command a line, one answer line per command. Every message a
 * sender writes is {@code m,<sender>,<seq>,<System.nanoTime()>,<padding>}: on one host every JVM reads the same
 * monotonic clock, so a receiver computes the latency from the text alone and tracks the last sequence per sender
 * to count gaps and duplicates, storing no payload.
 *
 * <p>{@code connect ... rooms=R first=F} deals the connections into R rooms ({@code /message?room=b<k>}): this
 * process's j-th connection is the run's connection F + j and joins room (F + j) mod R. With the processes' F set to
 * where their share of the run begins, rooms are equal to within one and the run's first R connections are one per
 * room. {@code senders n=.. base=B total=R byRoom=true} makes the first open connection of each room B..B+n-1 of
 * this process its sender, whose id is the room's number; a receiver then counts a message whose sender is not of its
 * own room as {@code foreign} (neither delivered nor in the latencies): a leak between rooms.
 */
public final class LoadWorker {
    private static final int OPEN = 2;
    private static final int CLOSING = 3;
    private static final int CLOSED = 4;

    private final PrintStream out;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(256 * 1024);
    private final ByteBuffer writeBuffer = ByteBuffer.allocate(64 * 1024);
    private final ConcurrentLinkedQueue<String> commands = new ConcurrentLinkedQueue<>();
    private final List<Conn> conns = new ArrayList<>();
    private final List<Conn> churning = new ArrayList<>();
    /** Connections that read their chunk and wait before reading again, in the order they are due. */
    private final java.util.ArrayDeque<Conn> restingQueue = new java.util.ArrayDeque<>();
    private final Histogram latency = new Histogram();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    // Counters since the last reset (connections of the churn pool are not receivers and count apart).
    private long received;
    private long frames;
    private long bytesIn;
    private long gaps;
    private long duplicates;
    private long errors;
    private long otherEnvelopes;
    private long sent;
    private long maxLagNanos;
    /**
     * Messages sent before the last reset (a previous period's stragglers, e.g. a warm-up's backlog) that arrived
     * after it: counted apart, not as deliveries of this period and not in its latencies. Every process on the host
     * reads the same monotonic clock, so the send time in the text tells.
     */
    private long stale;
    /** Messages from a sender of another room than the receiver's (rooms with byRoom senders only). */
    private long foreign;
    private long periodStart = System.nanoTime();
    private final Map<String, Integer> closes = new TreeMap<>();

    private Task task;
    private List<Sender> senders = List.of();
    private int totalSenders;
    private boolean quit;

    /** Something the selector thread works on until it is done; then its answer line is printed. */
    private interface Task {
        /** Returns the answer when done, else null; {@code wakeNanos} gets the latest time to be called again. */
        String tick(long now, long[] wakeNanos);
    }

    private LoadWorker(PrintStream out) throws IOException {
        this.out = out;
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        LoadWorker worker = new LoadWorker(out);
        Thread reader = new Thread(() -> worker.readCommands(new BufferedReader(new InputStreamReader(System.in,
                StandardCharsets.UTF_8))), "commands");
        reader.setDaemon(true);
        reader.start();
        worker.loop();
        System.exit(0);
    }

    private void readCommands(BufferedReader in) {
        try {
            for (String line; (line = in.readLine()) != null; ) {
                commands.add(line);
                selector.wakeup();
            }
        } catch (IOException e) {
            // the coordinator is gone
        }
        commands.add("quit");
        selector.wakeup();
    }

    private void loop() throws IOException {
        long[] wake = new long[1];
        while (!quit) {
            long now = System.nanoTime();
            wake[0] = now + TimeUnit.MILLISECONDS.toNanos(100);
            wakeRested(now, wake);
            sendDue(now, wake);
            if (task != null) {
                String answer = task.tick(now, wake);
                if (answer != null) {
                    task = null;
                    out.println(answer);
                }
            }
            long waitMillis = TimeUnit.NANOSECONDS.toMillis(wake[0] - System.nanoTime());
            if (!commands.isEmpty() || waitMillis <= 0) {
                selector.selectNow(this::ready);
            } else {
                selector.select(this::ready, waitMillis);
            }
            for (String command; task == null && (command = commands.poll()) != null; ) {
                command(command.trim());
            }
        }
        for (Conn conn : conns) {
            conn.closeChannel();
        }
    }

    /** Readers whose pause after a chunk is over read again (all pauses are equal, so the queue is in due order). */
    private void wakeRested(long now, long[] wake) {
        for (Conn conn; (conn = restingQueue.peek()) != null; ) {
            if (conn.readAgainAt > now) {
                wake[0] = Math.min(wake[0], conn.readAgainAt);
                return;
            }
            restingQueue.poll();
            conn.resting = false;
            if (conn.state != CLOSED && !conn.paused && conn.key != null && conn.key.isValid()) {
                conn.key.interestOps(conn.key.interestOps() | SelectionKey.OP_READ);
            }
        }
    }

    // ---------------------------------------------------------------- commands

    private void command(String line) {
        Map<String, String> args = new HashMap<>();
        String[] words = line.split("\\s+");
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            args.put(words[i].substring(0, eq), words[i].substring(eq + 1));
        }
        try {
            switch (words[0]) {
                case "connect" -> task = new Connect(args, false);
                case "senders" -> senders(args);
                case "run" -> task = new Run(args);
                case "stats" -> out.println(stats());
                case "reset" -> {
                    reset();
                    out.println("ok");
                }
                case "pause" -> {
                    int n = Integer.parseInt(args.get("n"));
                    for (int i = conns.size() - n; i < conns.size(); i++) {
                        conns.get(i).pause(true);
                    }
                    out.println("ok");
                }
                case "resume" -> {
                    conns.forEach(c -> c.pause(false));
                    out.println("ok");
                }
                case "close" -> task = new CloseAll();
                case "churn" -> task = new Connect(args, true);
                case "quit" -> quit = true;
                default -> out.println("error unknown command " + words[0]);
            }
        } catch (RuntimeException e) {
            out.println("error " + e);
        }
    }

    private void reset() {
        received = frames = bytesIn = gaps = duplicates = errors = otherEnvelopes = sent = 0;
        maxLagNanos = stale = foreign = 0;
        periodStart = System.nanoTime();
        closes.clear();
        latency.reset();
    }

    private String stats() {
        int open = 0;
        for (Conn conn : conns) {
            if (conn.state == OPEN) {
                open++;
            }
        }
        StringBuilder closeText = new StringBuilder();
        closes.forEach((k, v) -> closeText.append(closeText.length() == 0 ? "" : ",").append(k).append(':').append(v));
        return "stats open=" + open + " received=" + received + " frames=" + frames + " bytes=" + bytesIn
                + " stale=" + stale + " foreign=" + foreign + " gaps=" + gaps + " dups=" + duplicates + " errors="
                + errors + " other=" + otherEnvelopes
                + " sent=" + sent + " lagUs=" + maxLagNanos / 1000 + " cpuNs=" + os.getProcessCpuTime()
                + " closes=" + (closeText.length() == 0 ? "-" : closeText)
                + " hist=" + latency.encode();
    }

    /**
     * The first {@code n} open connections of this process send, as senders {@code base..base+n-1}; with
     * {@code byRoom=true} the first open connection of each room {@code base..base+n-1} sends, as that room's number
     * (a room with none open has no sender).
     */
    private void senders(Map<String, String> args) {
        int n = Integer.parseInt(args.get("n"));
        int base = Integer.parseInt(args.getOrDefault("base", "0"));
        totalSenders = Integer.parseInt(args.get("total"));
        List<Sender> list = new ArrayList<>();
        if (Boolean.parseBoolean(args.get("byRoom"))) {
            Map<Integer, Conn> firstOfRoom = new HashMap<>();
            for (Conn conn : conns) {
                if (conn.state == OPEN && conn.room >= base && conn.room < base + n) {
                    firstOfRoom.putIfAbsent(conn.room, conn);
                }
            }
            new TreeMap<>(firstOfRoom).forEach((room, conn) -> list.add(new Sender(conn, room)));
        } else {
            for (Conn conn : conns) {
                if (list.size() == n) {
                    break;
                }
                if (conn.state == OPEN) {
                    list.add(new Sender(conn, base + list.size()));
                }
            }
        }
        senders = list;
        out.println("ok senders=" + list.size());
    }

    // ---------------------------------------------------------------- connecting (also the churn loop)

    private final class Connect implements Task {
        private final InetSocketAddress address;
        private final Handshake upgrade;
        private final boolean v1;
        private final int target;
        private final int parallel;
        private final long deadline;
        private final boolean churn;
        private final int receiveBuffer;
        private final double perSecond;
        private final int chunk;
        private final long restNanos;
        /** Rooms the connections are dealt into (0: none, the default room), and this process's first global index. */
        private final int rooms;
        private final int first;
        private final List<Conn> pending = new ArrayList<>();
        private int started;
        private int opened;
        private int failed;
        private int cycles;
        private final long begin = System.nanoTime();
        private long maxHandshakeNanos;

        Connect(Map<String, String> args, boolean churn) {
            this.churn = churn;
            this.address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args.get("port")));
            this.v1 = "v1".equals(args.get("proto"));
            this.target = Integer.parseInt(args.getOrDefault("n", "0"));
            this.parallel = Integer.parseInt(args.getOrDefault("parallel", "200"));
            this.receiveBuffer = Integer.parseInt(args.getOrDefault("rcvbuf", "0"));
            this.perSecond = Double.parseDouble(args.getOrDefault("rate", "0"));
            this.chunk = Integer.parseInt(args.getOrDefault("chunk", "0"));
            this.restNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.getOrDefault("delayMs", "0")));
            this.rooms = Integer.parseInt(args.getOrDefault("rooms", "0"));
            this.first = Integer.parseInt(args.getOrDefault("first", "0"));
            long millis = Long.parseLong(args.getOrDefault("ms", "60000"));
            this.deadline = begin + TimeUnit.MILLISECONDS.toNanos(millis);
            String path = args.getOrDefault("path", "/chatroom/message");
            this.upgrade = new Handshake(path, "127.0.0.1:" + address.getPort(),
                    v1 ? List.of("Sec-WebSocket-Protocol: chat.v1") : List.of());
        }

        @Override
        public String tick(long now, long[] wake) {
            pending.removeIf(conn -> {
                if (conn.state == OPEN && !conn.counted) {
                    conn.counted = true;
                    opened++;
                    maxHandshakeNanos = Math.max(maxHandshakeNanos, now - conn.startNanos);
                    if (churn) {
                        cycles++;
                        conn.shutdown(cycles % 3); // close frame, FIN without one, or RST: all three happen
                        return conn.state == CLOSED;
                    }
                    return true;
                }
                if (conn.state == CLOSED) {
                    if (!conn.counted) {
                        failed++;
                    }
                    return true;
                }
                return false;
            });
            boolean more = churn ? now < deadline : started < target;
            long allowed = perSecond > 0 ? (long) ((now - begin) * perSecond / 1e9) + 1 : Long.MAX_VALUE;
            while (more && pending.size() < parallel && (churn || started < target) && started < allowed) {
                Conn conn = new Conn(v1, churn);
                conn.chunk = Math.min(chunk, readBuffer.capacity());
                conn.restNanos = restNanos;
                // Dealt round the rooms by global index: connection g of the run joins room g % rooms, so rooms are
                // equal to within one and the first `rooms` connections overall are one in each room.
                conn.room = rooms > 0 ? (first + started) % rooms : -1;
                String query = rooms > 0 ? "?room=" + roomName(conn.room) : "";
                started++;
                if (conn.connect(address, upgrade, query, receiveBuffer, now)) {
                    pending.add(conn);
                    (churn ? churning : conns).add(conn);
                } else {
                    failed++;
                }
            }
            if (churn) {
                churning.removeIf(c -> c.state == CLOSED);
            }
            boolean done = pending.isEmpty() && (churn ? now >= deadline : started >= target);
            if (!done && now - deadline > TimeUnit.SECONDS.toNanos(churn ? 10 : 0)) {
                for (Conn conn : pending) {
                    if (conn.state != OPEN) {
                        conn.closeChannel();
                    }
                }
                done = true;
            }
            if (done) {
                for (Conn conn : pending) {
                    if (!conn.counted && conn.state != OPEN) {
                        failed++;
                    }
                }
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                return "ok opened=" + opened + " failed=" + failed + " cycles=" + cycles + " ms=" + millis
                        + " maxHandshakeMs=" + TimeUnit.NANOSECONDS.toMillis(maxHandshakeNanos) + " stillOpen="
                        + churning.size();
            }
            wake[0] = Math.min(wake[0], now + TimeUnit.MILLISECONDS.toNanos(5));
            return null;
        }
    }

    /** Closes every connection with a close frame and waits (bounded) for the server's close or EOF. */
    private final class CloseAll implements Task {
        private final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        private boolean started;

        @Override
        public String tick(long now, long[] wake) {
            if (!started) {
                started = true;
                senders = List.of();
                conns.forEach(conn -> conn.shutdown(0));
            }
            long open = conns.stream().filter(c -> c.state != CLOSED).count();
            if (open == 0 || now > deadline) {
                conns.forEach(Conn::closeChannel);
                conns.clear();
                return "ok closed lingering=" + open;
            }
            wake[0] = Math.min(wake[0], now + TimeUnit.MILLISECONDS.toNanos(10));
            return null;
        }
    }

    // ---------------------------------------------------------------- sending

    private static final class Sender {
        final Conn conn;
        final int id;
        long seq;
        long next;
        int outstanding;

        Sender(Conn conn, int id) {
            this.conn = conn;
            this.id = id;
            conn.senderId = id;
            conn.sender = this;
        }
    }

    private Run running;

    /**
     * Every sender sends at {@code rate} msg/s (0: flat out, limited only by {@code window} own messages not yet
     * echoed back) for {@code ms}, at most {@code max} messages each. Answers when the sending is over.
     */
    private final class Run implements Task {
        final double rate;
        final int size;
        final int window;
        final long max;
        final long end;
        final long interval;
        long runSent;

        Run(Map<String, String> args) {
            rate = Double.parseDouble(args.get("rate"));
            size = Integer.parseInt(args.getOrDefault("size", "64"));
            window = Integer.parseInt(args.getOrDefault("window", "0"));
            max = Long.parseLong(args.getOrDefault("max", "1000000"));
            long now = System.nanoTime();
            end = now + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.get("ms")));
            interval = rate > 0 ? (long) (1e9 / rate) : 0;
            // Spread the senders' phases over one interval so they do not all fire in the same instant.
            for (int i = 0; i < senders.size(); i++) {
                Sender s = senders.get(i);
                s.next = now + (senders.isEmpty() ? 0 : interval * i / senders.size());
                s.outstanding = 0;
            }
            running = this;
        }

        @Override
        public String tick(long now, long[] wake) {
            if (now >= end) {
                running = null;
                return "ok sent=" + runSent;
            }
            wake[0] = Math.min(wake[0], end);
            return null;
        }
    }

    private void sendDue(long now, long[] wake) {
        Run run = running;
        if (run == null) {
            return;
        }
        long stop = Math.min(now, run.end);
        for (Sender s : senders) {
            if (s.conn.state != OPEN) {
                continue;
            }
            int burst = 0;
            if (run.interval > 0) {
                while (s.next <= stop && s.seq < run.max && burst++ < 1000) {
                    maxLagNanos = Math.max(maxLagNanos, now - s.next);
                    send(s, run.size);
                    s.next += run.interval;
                }
                wake[0] = Math.min(wake[0], s.next);
            } else {
                while (s.outstanding < run.window && now < run.end && s.seq < run.max && burst++ < 1000) {
                    send(s, run.size);
                    s.outstanding++;
                }
            }
        }
    }

    private final byte[] text = new byte[64 * 1024];

    private void send(Sender s, int size) {
        long seq = ++s.seq;
        int n = 0;
        Conn conn = s.conn;
        if (conn.v1) {
            n = put(text, n, "{\"type\":\"message\",\"cid\":\"");
            n = putLong(text, n, s.id);
            text[n++] = '-';
            n = putLong(text, n, seq);
            n = put(text, n, "\",\"text\":\"");
        }
        int start = n;
        text[n++] = 'm';
        text[n++] = ',';
        n = putLong(text, n, s.id);
        text[n++] = ',';
        n = putLong(text, n, seq);
        text[n++] = ',';
        n = putLong(text, n, System.nanoTime());
        text[n++] = ',';
        while (n - start < size) {
            text[n++] = 'x';
        }
        if (conn.v1) {
            n = put(text, n, "\"}");
        }
        conn.writeFrame(0x1, text, n);
        sent++;
        if (running != null) {
            running.runSent++;
        }
    }

    private static int put(byte[] into, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            into[at++] = (byte) ascii.charAt(i);
        }
        return at;
    }

    private static int putLong(byte[] into, int at, long value) {
        if (value == 0) {
            into[at++] = '0';
            return at;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    // ---------------------------------------------------------------- receiving

    private void ready(SelectionKey key) {
        Conn conn = (Conn) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                conn.finishConnect();
            }
            if (key.isValid() && key.isWritable()) {
                conn.flush();
            }
            if (key.isValid() && key.isReadable()) {
                conn.read();
            }
        } catch (IOException | RuntimeException e) {
            conn.lost();
        }
    }

    /** A text message received whole (all fragments): one or more '\n'-separated messages or envelopes. */
    private void onText(Conn conn, byte[] a, int off, int len, long now) {
        if (conn.churn) {
            return;
        }
        frames++;
        bytesIn += len;
        if (!conn.v1) {
            line(conn, a, off, off + len, now); // a plain frame is one message, newlines and all
            return;
        }
        int end = off + len;
        int lineStart = off;
        for (int i = off; i <= end; i++) {
            if (i == end || a[i] == '\n') {
                line(conn, a, lineStart, i, now);
                lineStart = i + 1;
            }
        }
    }

    private static final byte[] TEXT_MARK = "\"text\":\"m,".getBytes(StandardCharsets.US_ASCII);

    private void line(Conn conn, byte[] a, int from, int to, long now) {
        int p;
        if (!conn.v1) {
            if (to - from < 2 || a[from] != 'm' || a[from + 1] != ',') {
                otherEnvelopes++;
                return;
            }
            p = from + 2;
        } else {
            // {"type":"message",...  {"type":"error",...  (the 10th byte tells the type)
            if (to - from < 10 || a[from + 9] != 'm') {
                if (to - from >= 10 && a[from + 9] == 'e') {
                    errors++;
                } else {
                    otherEnvelopes++;
                }
                return;
            }
            p = indexOf(a, from, to, TEXT_MARK);
            if (p < 0) {
                otherEnvelopes++;
                return;
            }
            p += TEXT_MARK.length;
        }
        long sid = 0;
        for (; p < to && a[p] != ','; p++) {
            sid = sid * 10 + (a[p] - '0');
        }
        long seq = 0;
        for (p++; p < to && a[p] != ','; p++) {
            seq = seq * 10 + (a[p] - '0');
        }
        long sentNanos = 0;
        for (p++; p < to && a[p] != ','; p++) {
            sentNanos = sentNanos * 10 + (a[p] - '0');
        }
        if (conn.room >= 0 && sid != conn.room) {
            foreign++;
            return;
        }
        if (sentNanos - periodStart >= 0) {
            received++;
            latency.record((now - sentNanos) / 1000);
        } else {
            stale++;
        }
        if (sid < totalSenders) {
            if (conn.lastSeq == null || conn.lastSeq.length < totalSenders) {
                long[] grown = new long[totalSenders];
                if (conn.lastSeq != null) {
                    System.arraycopy(conn.lastSeq, 0, grown, 0, conn.lastSeq.length);
                }
                conn.lastSeq = grown;
            }
            long last = conn.lastSeq[(int) sid];
            if (seq <= last) {
                duplicates++;
            } else {
                if (last > 0 && seq > last + 1) {
                    gaps += seq - last - 1;
                }
                conn.lastSeq[(int) sid] = seq;
            }
        }
        if (conn.sender != null && conn.senderId == sid && conn.sender.outstanding > 0) {
            conn.sender.outstanding--;
        }
    }

    private static int indexOf(byte[] a, int from, int to, byte[] pattern) {
        outer:
        for (int i = from; i <= to - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (a[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Counts a close by code ("eof" without a close frame); "s" before it for a client that was told to stall. */
    private void closed(Conn conn, int code) {
        if (!conn.churn) {
            closes.merge((conn.stalled ? "s" : "") + (code < 0 ? "eof" : Integer.toString(code)), 1, Integer::sum);
        }
    }

    // ---------------------------------------------------------------- one connection

    private final class Conn {
        final boolean v1;
        final boolean churn;
        SocketChannel channel;
        SelectionKey key;
        int state;
        boolean counted;
        long startNanos;
        String expectedAccept;
        byte[] handshake;
        int handshakeLength;
        // frame being read
        final byte[] header = new byte[14];
        int headerHave;
        int headerNeed = 2;
        boolean inPayload;
        long remaining;
        int opcode;
        boolean fin;
        // message being assembled (only when it spans reads or frames)
        byte[] message;
        int messageLength;
        final byte[] control = new byte[125];
        int controlLength;
        ByteBuffer unsent;
        boolean weClosed;
        boolean paused;
        /** Paused at some point: its closes count apart from those of clients that always read. */
        boolean stalled;
        long[] lastSeq;
        int senderId = -1;
        Sender sender;
        /** The room this connection was dealt into, -1 for the default room. */
        int room = -1;
        // A browser-like reader (chunk > 0): at most `chunk` bytes per read, then no read for restNanos.
        int chunk;
        long restNanos;
        long readAgainAt;
        boolean resting;

        Conn(boolean v1, boolean churn) {
            this.v1 = v1;
            this.churn = churn;
        }

        boolean connect(InetSocketAddress address, Handshake upgrade, String query, int receiveBuffer, long now) {
            startNanos = now;
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (receiveBuffer > 0) {
                    // A fixed buffer turns off the kernel's autotuning (up to tcp_rmem's max, 32 MiB here), so a
                    // client that stops reading pushes back on the server within a second, as over a real network.
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
                }
                String key64 = Handshake.newKey();
                expectedAccept = Handshake.acceptFor(key64);
                handshake = upgrade.plusQuery(query).request(key64);
                if (channel.connect(address)) {
                    key = channel.register(selector, 0, this);
                    finishConnect();
                } else {
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
                return true;
            } catch (IOException e) {
                closeChannel();
                return false;
            }
        }

        void finishConnect() throws IOException {
            if (channel.isConnectionPending()) {
                channel.finishConnect();
            }
            state = 1;
            key.interestOps(SelectionKey.OP_READ);
            write(ByteBuffer.wrap(handshake));
            handshake = new byte[512];
            handshakeLength = 0;
        }

        void pause(boolean on) {
            paused = on;
            stalled |= on;
            if (key != null && key.isValid() && state != CLOSED) {
                int ops = key.interestOps();
                key.interestOps(on ? ops & ~SelectionKey.OP_READ : ops | SelectionKey.OP_READ);
            }
        }

        /**
         * Reads what the socket has (up to 4 buffers full at a time). A browser-like reader ({@code chunk > 0}) reads
         * at most {@code chunk} bytes and then (with a rest) nothing until the rest is over: like a page whose main
         * thread handles one network chunk and then has other work, or a client behind a slower link. It still keeps
         * up on average as long as chunk / rest exceeds what the room sends it.
         */
        void read() throws IOException {
            int limit = chunk > 0 ? chunk : readBuffer.capacity();
            for (int rounds = 0; rounds < (chunk > 0 ? 1 : 4); rounds++) {
                readBuffer.clear();
                readBuffer.limit(limit);
                int n = channel.read(readBuffer);
                if (n < 0) {
                    lost();
                    return;
                }
                if (n == 0) {
                    return;
                }
                long now = System.nanoTime();
                byte[] a = readBuffer.array();
                int p = 0;
                if (state == 1) {
                    p = handshakeBytes(a, n);
                    if (p < 0) {
                        return;
                    }
                }
                frames(a, p, n, now);
                if (chunk > 0 && restNanos > 0 && state != CLOSED && !resting && key.isValid()) {
                    key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                    readAgainAt = now + restNanos;
                    resting = true;
                    restingQueue.add(this);
                }
                if (n < limit || state == CLOSED) {
                    return;
                }
            }
        }

        /** Returns where frames start in the buffer, or -1 when the response is not complete yet. */
        private int handshakeBytes(byte[] a, int n) throws IOException {
            for (int i = 0; i < n; i++) {
                if (handshakeLength == handshake.length) {
                    throw new IOException("handshake response too long");
                }
                handshake[handshakeLength++] = a[i];
                if (handshakeLength >= 4 && handshake[handshakeLength - 1] == '\n'
                        && handshake[handshakeLength - 2] == '\r'
                        && handshake[handshakeLength - 3] == '\n' && handshake[handshakeLength - 4] == '\r') {
                    String response = new String(handshake, 0, handshakeLength, StandardCharsets.US_ASCII);
                    handshake = null;
                    if (!response.startsWith("HTTP/1.1 101") || !response.contains(expectedAccept)) {
                        throw new IOException("handshake refused: " + response.lines().findFirst().orElse(""));
                    }
                    state = OPEN;
                    if (paused) {
                        pause(true);
                    }
                    return i + 1;
                }
            }
            return -1;
        }

        private void frames(byte[] a, int p, int n, long now) throws IOException {
            while (p < n && state != CLOSED) {
                if (!inPayload) {
                    while (headerHave < headerNeed && p < n) {
                        header[headerHave++] = a[p++];
                        if (headerHave == 2) {
                            int len = header[1] & 0x7f;
                            headerNeed = 2 + (len == 126 ? 2 : len == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
                        }
                    }
                    if (headerHave < headerNeed) {
                        return;
                    }
                    fin = (header[0] & 0x80) != 0;
                    opcode = header[0] & 0x0f;
                    int len = header[1] & 0x7f;
                    if (len == 126) {
                        remaining = ((header[2] & 0xff) << 8) | (header[3] & 0xff);
                    } else if (len == 127) {
                        remaining = 0;
                        for (int i = 2; i < 10; i++) {
                            remaining = (remaining << 8) | (header[i] & 0xff);
                        }
                    } else {
                        remaining = len;
                    }
                    headerHave = 0;
                    headerNeed = 2;
                    inPayload = true;
                    controlLength = 0;
                }
                int available = n - p;
                int take = (int) Math.min(remaining, available);
                boolean control = opcode >= 8;
                if (control) {
                    System.arraycopy(a, p, this.control, controlLength, take);
                    controlLength += take;
                } else if (fin && messageLength == 0 && take == remaining) {
                    onText(this, a, p, take, now); // the whole message is here: parse it in place
                } else {
                    append(a, p, take);
                }
                p += take;
                remaining -= take;
                if (remaining > 0) {
                    return;
                }
                inPayload = false;
                if (control) {
                    control(now);
                } else if (fin && messageLength > 0) {
                    onText(this, message, 0, messageLength, now);
                    messageLength = 0;
                    if (message.length > 64 * 1024) {
                        message = null;
                    }
                }
            }
        }

        private void append(byte[] a, int p, int take) {
            if (message == null || message.length < messageLength + take) {
                byte[] grown = new byte[Math.max(256, Integer.highestOneBit(messageLength + take) * 2)];
                if (message != null) {
                    System.arraycopy(message, 0, grown, 0, messageLength);
                }
                message = grown;
            }
            System.arraycopy(a, p, message, messageLength, take);
            messageLength += take;
        }

        private void control(long now) throws IOException {
            switch (opcode) {
                case 0x9 -> writeFrame(0xA, control, controlLength); // pong with the ping's payload
                case 0x8 -> {
                    int code = controlLength >= 2 ? ((control[0] & 0xff) << 8) | (control[1] & 0xff) : 1005;
                    if (!weClosed) {
                        closed(this, code);
                        weClosed = true;
                        writeFrame(0x8, control, Math.min(2, controlLength));
                    }
                    closeChannel();
                }
                default -> {
                    // pong: nothing to do
                }
            }
        }

        /** 0: close frame (then wait for the server's), 1: FIN without a close frame, 2: reset (linger 0). */
        void shutdown(int how) {
            if (state == CLOSED) {
                return;
            }
            weClosed = true;
            try {
                if (how == 0 && state == OPEN) {
                    byte[] code = {0x03, (byte) 0xE8};
                    writeFrame(0x8, code, 2);
                    state = CLOSING;
                    if (paused) {
                        pause(false);
                    }
                    return;
                }
                if (how == 2) {
                    channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
            } catch (IOException e) {
                // closing anyway
            }
            closeChannel();
        }

        void writeFrame(int op, byte[] payload, int length) {
            ByteBuffer b = writeBuffer;
            b.clear();
            b.put((byte) (0x80 | op));
            if (length < 126) {
                b.put((byte) (0x80 | length));
            } else if (length < 65536) {
                b.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                b.put((byte) (0x80 | 127)).putLong(length);
            }
            int mask = ThreadLocalRandom.current().nextInt();
            b.putInt(mask);
            byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
            for (int i = 0; i < length; i++) {
                b.put((byte) (payload[i] ^ m[i & 3]));
            }
            b.flip();
            try {
                write(b);
            } catch (IOException e) {
                lost();
            }
        }

        private void write(ByteBuffer b) throws IOException {
            if (unsent == null) {
                channel.write(b);
                if (!b.hasRemaining()) {
                    return;
                }
                unsent = ByteBuffer.allocate(Math.max(4096, b.remaining() * 2));
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
            if (unsent.remaining() < b.remaining()) {
                ByteBuffer grown = ByteBuffer.allocate((unsent.position() + b.remaining()) * 2);
                unsent.flip();
                grown.put(unsent);
                unsent = grown;
            }
            unsent.put(b);
        }

        void flush() throws IOException {
            if (unsent == null) {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
                return;
            }
            unsent.flip();
            channel.write(unsent);
            if (unsent.hasRemaining()) {
                unsent.compact();
            } else {
                unsent = null;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
            }
        }

        /** EOF or an I/O error: a close this side did not ask for, unless it did. */
        void lost() {
            if (state != CLOSED && !weClosed && state >= OPEN) {
                closed(this, -1);
            }
            closeChannel();
        }

        void closeChannel() {
            state = CLOSED;
            if (key != null) {
                key.cancel();
            }
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // gone either way
                }
            }
        }
    }

    /** The name of room {@code index} of a run dealt into rooms (a valid room name: a-z, 0-9). */
    static String roomName(int index) {
        return "b" + index;
    }
}
