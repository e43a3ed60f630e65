package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedTomcat;
import java.util.Map;

class TomcatPresenceIT extends PresenceContract {
    @Override
    ChatServer start(Map<String, String> contextParams) {
        return EmbeddedTomcat.start(contextParams);
    }
}
