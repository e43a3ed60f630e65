package chatroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's sign-in set-ups, taken from the document that shows them (each code block follows a
 * {@code <!-- snippet:<name> -->} line), so the standalone containers run exactly what an operator copies.
 */
public final class SignInSetups {
    static final Path DOCUMENT = Path.of("docs/MODERATION.md");

    private SignInSetups() {
    }

    /** The code block named {@code name}, without its fences. */
    public static String snippet(String name) {
        String text;
        try {
            text = Files.readString(DOCUMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher block = Pattern.compile("<!-- snippet:" + Pattern.quote(name) + " -->\\s*```[a-z]*\\n(.*?)```",
                Pattern.DOTALL).matcher(text);
        if (!block.find()) {
            throw new IllegalStateException("no snippet " + name + " in " + DOCUMENT);
        }
        return block.group(1);
    }

    /** Jetty's HashLoginService in a base: realm.properties, the XML that makes it a server bean, the start line. */
    static void installJettyRealm(Path base) throws IOException {
        Files.createDirectories(base.resolve("etc"));
        Files.createDirectories(base.resolve("start.d"));
        Files.writeString(base.resolve("etc/realm.properties"), snippet("jetty-realm-properties"));
        Files.writeString(base.resolve("etc/chatroom-realm.xml"), snippet("jetty-realm-xml"));
        Files.writeString(base.resolve("start.d/chatroom-realm.ini"), snippet("jetty-realm-ini"));
    }
}
