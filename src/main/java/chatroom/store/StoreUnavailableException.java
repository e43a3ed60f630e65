package chatroom.store;

/** A message was not stored (database unreachable, writer overloaded or stopped): its sender must be told. */
public final class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
