package chatroom.it;

import chatroom.testing.ChatServer;
import chatroom.testing.EmbeddedJetty;
import java.util.Map;

class JettyClientBudgetIT extends ClientBudgetContract {
    @Override
    ChatServer start(Map<String, String> contextParams) {
        return EmbeddedJetty.start(contextParams);
    }
}
