package chatroom.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the webapp under test lives: the sources' webapp folder and the compiled classes, not a copy. */
final class WebAppSource {
    static final Path WEBAPP = Path.of("src/main/webapp").toAbsolutePath();
    static final Path CLASSES = Path.of("target/classes").toAbsolutePath();

    private WebAppSource() {
    }

    static void check() {
        if (!Files.isDirectory(CLASSES.resolve("chatroom"))) {
            throw new IllegalStateException("no compiled webapp classes in " + CLASSES + ": run through mvn verify");
        }
    }
}
