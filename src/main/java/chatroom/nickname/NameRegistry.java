package chatroom.nickname;

import java.util.List;
import java.util.Map;

/**
 * Which nicknames are held on the other nodes. A node keeps its own table of who holds what (the truth for its
 * sessions and sockets) and asks the registry before a name becomes its own; a single node has no others
 * ({@link #SINGLE_NODE} grants everything).
 *
 * <p>A name is claimed by all of its keys at once (its case-folded form and its confusable skeleton), so two nodes
 * cannot each take one of two look-alikes. Each hold has an owner token unique to one holder on one node; only that
 * owner releases it.
 */
public interface NameRegistry extends AutoCloseable {

    enum Answer { GRANTED, TAKEN, UNAVAILABLE }

    /** The node's side: what it holds now, so the registry can keep those holds alive. */
    interface Holds {
        /** Owner token to the keys of its name, for every name this node holds now. */
        Map<String, List<String>> held();

        /** Whether this owner still holds its name on this node. */
        boolean holds(String owner);
    }

    NameRegistry SINGLE_NODE = new NameRegistry() {
        @Override
        public void start(Holds holds) {
        }

        @Override
        public Answer claim(String owner, List<String> keys) {
            return Answer.GRANTED;
        }

        @Override
        public void release(String owner, List<String> keys) {
        }

        @Override
        public void close() {
        }
    };

    void start(Holds holds);

    /**
     * All of {@code keys} for {@code owner}, or none: GRANTED when every key is free or already this owner's,
     * TAKEN when any is another owner's, UNAVAILABLE when the registry cannot be asked. Blocking I/O.
     */
    Answer claim(String owner, List<String> keys);

    /** Frees those of {@code keys} still held by {@code owner}; never throws. Blocking I/O. */
    void release(String owner, List<String> keys);

    /** Stops keeping holds alive and frees this node's holds at once. */
    @Override
    void close();
}
