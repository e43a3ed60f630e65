package chatroom.cluster;

import java.util.Set;

/**
 * Who is online on the other nodes. The room tells the bus whom it holds and hears whom the others hold; a single
 * node has no others ({@link #SINGLE_NODE} does nothing).
 */
public interface PresenceBus extends AutoCloseable {

    /** The room's side. */
    interface Listener {
        /** The names with a connection on this node. */
        Set<String> localUsers();

        /** The names the other nodes hold now (the whole set, not a change). */
        void remoteUsers(Set<String> users);
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
