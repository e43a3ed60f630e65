package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import java.util.Map;

class JettyRestartIT extends DurableRestartContract {
    @Override
    ChatServer start(Map<String, String> contextParams) {
        return EmbeddedJetty.start(contextParams);
    }
}
