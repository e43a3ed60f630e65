package chatroom.cluster;

import java.util.Map;
import java.util.Set;

/**
 * Who is online on the other nodes, room by room. The rooms tell the bus whom they hold and hear whom the others
 * hold; a single node has no others ({@link #SINGLE_NODE} does nothing).
 */
public interface PresenceBus extends AutoCloseable {

    /** The rooms' side. */
    interface Listener {
        /** The names with a connection on this node, by room. */
        Map<String, Set<String>> localUsers();

        /** The names the other nodes hold now, by room (the whole picture, not a change). */
        void remoteUsers(Map<String, Set<String>> users);
    }

    PresenceBus SINGLE_NODE = new PresenceBus() {
        @Override
        public void start(Listener listener) {
        }

        @Override
        public void close() {
        }
    };

    void start(Listener listener);

    @Override
    void close();
}
