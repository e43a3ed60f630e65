package chatroom.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket peer on a bare {@link Socket}, for what no client library will act: a peer that stops reading
 * (small receive buffer, nothing read), goes silent (never answers a ping) or leaves from a loopback address of its
 * own (what a proxy's ip_hash routes by; the JDK's client cannot choose one). The handshake is done by hand and
 * nothing is read from the socket unless the test asks, one frame at a time.
 */
public final class RawWebSocket implements AutoCloseable {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** Opcodes from here up are control frames. */
    private static final int CONTROL = 0x8;

    private final Socket socket;
    private final DataInputStream in;

    /**
     * A whole message (fragments joined, opcode of the first) or a control frame, as received; server frames are
     * never masked.
     */
    public record Frame(int opcode, byte[] payload) {
        public static final int TEXT = 0x1;
        public static final int BINARY = 0x2;
        public static final int CLOSE = 0x8;
        public static final int PING = 0x9;

        /** The close frame's status code; 1005 (no status) when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        @Override
        public String toString() {
            return opcode == CLOSE ? "close " + closeCode() + " \"" + closeReason() + "\"" : "opcode " + opcode + ", "
                    + payload.length + " bytes";
        }
    }

    /** How a drained connection ended: after {@code messages} data messages ({@code bytes} payload bytes). */
    public record Ending(int messages, long bytes, int pings, Frame close, String how) {
        /** The close status, or -1 when the connection ended without a close frame. */
        public int closeCode() {
            return close == null ? -1 : close.closeCode();
        }
    }

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        // Buffered: reading a frame header byte by byte from the socket would cost a system call per byte. The
        // buffer only fills when the test reads, so a peer that reads nothing still reads nothing.
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
    }

    /**
     * Connects and performs the opening handshake.
     *
     * @param receiveBufferBytes SO_RCVBUF set before connecting (so the window is small from the start); 0 for
     *                           the system default
     * @param headers            extra request header lines, e.g. {@code "Cookie: JSESSIONID=..."}
     * @throws HandshakeRefused when the server answers anything but 101
     */
    public static RawWebSocket connect(URI socketUri, int receiveBufferBytes, String... headers) throws IOException {
        return connect(socketUri, null, receiveBufferBytes, headers);
    }

    /**
     * The same, leaving from {@code source} (e.g. 127.0.3.1: every 127/8 address is the loopback), as a visitor
     * with an address of its own behind a proxy would; null lets the system choose.
     */
    public static RawWebSocket connect(URI socketUri, InetAddress source, int receiveBufferBytes,
            String... headers) throws IOException {
        Socket socket = new Socket();
        try {
            if (receiveBufferBytes > 0) {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(new InetSocketAddress(socketUri.getHost(), socketUri.getPort()),
                    (int) ChatClient.WAIT.toMillis());
            socket.setSoTimeout((int) ChatClient.WAIT.toMillis());
            String key = Handshake.newKey();
            OutputStream out = socket.getOutputStream();
            out.write(Handshake.to(socketUri, List.of(headers)).request(key));
            out.flush();
            String response = readHeader(socket.getInputStream());
            int status = Integer.parseInt(response.split(" ", 3)[1]);
            if (status != 101) {
                throw new HandshakeRefused(status, response);
            }
            if (!response.contains(Handshake.acceptFor(key))) {
                throw new IOException("wrong Sec-WebSocket-Accept in\n" + response);
            }
            return new RawWebSocket(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The server answered the upgrade with another status. */
    public static final class HandshakeRefused extends IOException {
        private final int status;

        HandshakeRefused(int status, String response) {
            super("handshake refused with " + status + ":\n" + response);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Byte by byte, so not one byte after the header is taken from the socket. */
    private static String readHeader(InputStream in) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0 || header.size() >= MAX_HEADER_BYTES) {
                throw new IOException("no complete handshake response: "
                        + header.toString(StandardCharsets.ISO_8859_1));
            }
            header.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return header.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * The next message or control frame (pings are returned too: a silent peer's test counts them), waiting at
     * most {@code wait} for it to start; null when the server ended the connection cleanly (EOF) before another.
     * A close frame that interrupts a fragmented message is returned and the fragments are dropped.
     */
    public Frame read(Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        ByteArrayOutputStream fragments = null;
        int messageOpcode = 0;
        while (true) {
            int first = in.read();
            if (first < 0) {
                if (fragments != null) {
                    throw new EOFException("connection ended inside a fragmented message");
                }
                return null;
            }
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0f;
            byte[] payload = readPayload();
            if (opcode >= CONTROL) {
                if (fragments == null || opcode == Frame.CLOSE) {
                    return new Frame(opcode, payload);
                }
                continue; // a ping between two fragments of a message
            }
            if (fragments == null && fin) {
                return new Frame(opcode, payload);
            }
            if (fragments == null) {
                fragments = new ByteArrayOutputStream();
                messageOpcode = opcode;
            }
            fragments.write(payload);
            if (fin) {
                return new Frame(messageOpcode, fragments.toByteArray());
            }
        }
    }

    private byte[] readPayload() throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if ((second & 0x80) != 0 || length > Integer.MAX_VALUE) {
            throw new IOException("not a server frame: masked or " + length + " bytes long");
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return payload;
    }

    /**
     * Reads everything until the connection ends: a close frame, EOF or reset. Fails when it has not ended within
     * {@code within}.
     */
    public Ending drain(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        int messages = 0;
        int pings = 0;
        long bytes = 0;
        while (true) {
            Frame frame;
            try {
                frame = read(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (SocketTimeoutException e) {
                throw new AssertionError("connection not ended within " + within + " (" + messages
                        + " messages read)", e);
            } catch (EOFException e) {
                return new Ending(messages, bytes, pings, null, "EOF inside a frame");
            } catch (SocketException e) {
                return new Ending(messages, bytes, pings, null, "reset (" + e.getMessage() + ")");
            }
            if (frame == null) {
                return new Ending(messages, bytes, pings, null, "EOF");
            }
            if (frame.opcode() == Frame.CLOSE) {
                return new Ending(messages, bytes, pings, frame, "close frame");
            }
            if (frame.opcode() == Frame.PING) {
                pings++;
            } else {
                messages++;
                bytes += frame.payload().length;
            }
        }
    }

    /** Sends one whole text message in one frame, masked as every client frame must be. */
    public void sendText(String text) throws IOException {
        send(Frame.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Starts the closing handshake with {@code code} (and no reason); reading stays up to the caller. */
    public void sendClose(int code) throws IOException {
        send(Frame.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code});
    }

    private void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        OutputStream out = socket.getOutputStream();
        out.write(frame.toByteArray());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
