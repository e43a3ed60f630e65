package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import java.util.Map;

class JettyPresenceIT extends PresenceContract {
    @Override
    ChatServer start(Map<String, String> contextParams) {
        return EmbeddedJetty.start(contextParams);
    }
}
