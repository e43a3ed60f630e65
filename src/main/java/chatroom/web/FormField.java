package chatroom.web;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one field of a small form body strictly: percent-escapes and UTF-8 must be valid, or the caller is told.
 * Containers disagree on bytes that are not UTF-8 (Tomcat throws from getParameter and shows its error page,
 * Jetty drops the field), so the nickname form is read here and every container answers the same 400.
 */
final class FormField {
    /** A nickname form is a few hundred bytes at most, even with every character percent-encoded. */
    static final int MAX_BODY_BYTES = 4096;

    /** The body is not a readable form: bad escapes, not UTF-8, or too large. */
    static final class Unreadable extends Exception {
        Unreadable(String why) {
            super(why, null, false, false);
        }
    }

    private FormField() {
    }

    /** The field's value, or null when absent. Bodies other than url-encoded forms go through the container. */
    static String read(HttpServletRequest request, String name) throws IOException, Unreadable {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            try {
                return request.getParameter(name);
            } catch (RuntimeException undecodable) {
                throw new Unreadable("the container could not read the parameters");
            }
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new Unreadable("form body over " + MAX_BODY_BYTES + " bytes");
        }
        for (String pair : new String(body, StandardCharsets.ISO_8859_1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (decode(key).equals(name)) {
                return decode(equals < 0 ? "" : pair.substring(equals + 1));
            }
        }
        return null;
    }

    /** Decodes application/x-www-form-urlencoded text (bytes as ISO-8859-1 chars) as strict UTF-8. */
    static String decode(String encoded) throws Unreadable {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    throw new Unreadable("bad percent-escape");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Unreadable("not UTF-8");
        }
    }
}
