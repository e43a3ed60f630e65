package chatroom.moderation;

import java.util.function.Consumer;

/**
 * How a moderator action reaches every node: on one node it is applied at once; with Redis every node, the acting
 * one included, applies it as it reads it ({@link RedisModerationBus}). The same path either way.
 */
interface ModerationBus extends AutoCloseable {

    /** Every action from now on (and, with Redis, those made while this node was away) goes to {@code apply}. */
    void start(Consumer<Action> apply);

    /** Hands the action to every node; false when it could not (Redis unreachable): nothing was done. */
    boolean publish(Action action);

    @Override
    void close();

    /** One node: publishing is applying. */
    static ModerationBus local() {
        return new ModerationBus() {
            private volatile Consumer<Action> apply;

            @Override
            public void start(Consumer<Action> apply) {
                this.apply = apply;
            }

            @Override
            public boolean publish(Action action) {
                apply.accept(action);
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
