package chatroom.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLocationTest {
    private static final Map<String, String> TOMCAT =
            Map.of("catalina.base", "/opt/tomcat", "user.home", "/home/chat");
    private static final Map<String, String> JETTY = Map.of("jetty.base", "/srv/jetty", "user.home", "/home/chat");
    private static final Map<String, String> PLAIN = Map.of("user.home", "/home/chat");

    @Test
    void theSettingWinsWherePresent() {
        assertEquals(Path.of("/var/lib/chat"), StoreLocation.resolve("/var/lib/chat", "/chatroom", TOMCAT::get));
    }

    @Test
    void theDefaultLivesInTheContainersBaseThenInTheHome() {
        assertEquals(Path.of("/opt/tomcat/data/chatroom/chatroom"),
                StoreLocation.resolve(null, "/chatroom", TOMCAT::get));
        assertEquals(Path.of("/srv/jetty/data/chatroom/chatroom"),
                StoreLocation.resolve(null, "/chatroom", JETTY::get));
        assertEquals(Path.of("/home/chat/.chatroom/ROOT"), StoreLocation.resolve(null, "", PLAIN::get));
    }

    @Test
    void eachContextHasItsOwnDirectory() {
        assertEquals(Path.of("/home/chat/.chatroom/team#chat"), StoreLocation.resolve(null, "/team/chat", PLAIN::get));
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamedWithTheSettingToChange(@TempDir Path temp) throws IOException {
        Path file = Files.writeString(temp.resolve("taken"), "not a directory");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> EmbeddedDatabase.in(file.resolve("store")));
        assertTrue(e.getMessage().contains(file.resolve("store").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("chat.store.dir"), e.getMessage());
    }
}
