package chatroom.moderation;

/**
 * How a moderator action reaches every node: on one node it is applied at once; with Redis every node, the acting
 * one included, applies it as it reads it ({@link RedisModerationBus}). The same path either way.
 */
interface ModerationBus extends AutoCloseable {

    /** What a node does with each action the bus brings. */
    interface Applier {
        /**
         * {@code replayed}: made before this node started (read back at start, with Redis): it changes what holds
         * here, but the people it acted on were on other nodes then.
         */
        void apply(Action action, boolean replayed);
    }

    /**
     * Every action from now on goes to {@code apply}; with Redis, first (before this returns, when Redis answers)
     * those made before, as replayed.
     */
    void start(Applier apply);

    /** Hands the action to every node; false when it could not (Redis unreachable): nothing was done. */
    boolean publish(Action action);

    @Override
    void close();

    /** One node: publishing is applying. */
    static ModerationBus local() {
        return new ModerationBus() {
            private volatile Applier apply;

            @Override
            public void start(Applier apply) {
                this.apply = apply;
            }

            @Override
            public boolean publish(Action action) {
                apply.apply(action, false);
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
