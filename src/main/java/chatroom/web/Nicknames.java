package chatroom.web;

import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Who holds which nickname. A name means one person: names are compared by their {@link NicknameForm#keys keys}
 * (case folded, confusable skeleton), so "alice", "ALICE", "Аlice" with a Cyrillic А and fullwidth "ａｌｉｃｅ"
 * are one name. A name is held by one HttpSession until that session posts another name, ends or expires, and
 * after that for as long as any connection that joined under it is still open (a socket does not keep its
 * HttpSession alive, yet its owner is still talking under that name).
 *
 * <p>One lock guards the table: claims are rare and each change is a few map operations; no I/O happens under it.
 */
final class Nicknames {
    static final String SESSION_ATTRIBUTE = "chat.user";

    enum Outcome { ACCEPTED, INVALID, TAKEN }

    /** {@code problem} is null when accepted. */
    record Claim(Outcome outcome, String name, NicknameForm.Problem problem) {
        String message() {
            return problem == null ? null : problem.message();
        }
    }

    /** One held name: by a session (while {@code bound}) and by {@code connections} open sockets. */
    private static final class Holder {
        final String sessionId;
        final List<String> keys;
        boolean bound;
        int connections;

        Holder(String sessionId, List<String> keys, boolean bound) {
            this.sessionId = sessionId;
            this.keys = keys;
            this.bound = bound;
        }
    }

    /** A connection's hold on its name; {@link #release} is safe to call more than once. */
    interface Hold {
        void release();
    }

    private static final Hold NOTHING = () -> { };

    /** Each key of each held name to its holder. Guarded by {@code this}. */
    private final Map<String, Holder> holders = new HashMap<>();

    static String boundTo(HttpSession session) {
        try {
            return session.getAttribute(SESSION_ATTRIBUTE) instanceof String name ? name : null;
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /**
     * Binds the name to the visitor's session if it is valid and free (or already theirs). {@code existing} is the
     * visitor's session or null; {@code create} makes one, and is called only when the name is going to be
     * accepted, so a refused claim leaves no session behind.
     */
    Claim claim(HttpSession existing, Supplier<HttpSession> create, String requested) {
        NicknameForm.Checked checked = NicknameForm.check(requested);
        if (checked.problem() != null) {
            return new Claim(Outcome.INVALID, checked.name(), checked.problem());
        }
        String name = checked.name();
        List<String> keys = NicknameForm.keys(name);
        String existingId = idOf(existing);
        synchronized (this) {
            if (!freeFor(keys, existingId)) {
                return taken(name);
            }
        }
        HttpSession session = existing != null && existingId != null ? existing : create.get();
        String previous = boundTo(session);
        synchronized (this) {
            if (!freeFor(keys, session.getId())) {
                // Lost a race for the name: a session made for this claim would now hold nothing.
                if (session != existing) {
                    session.invalidate();
                }
                return taken(name);
            }
            Holder holder = holders.get(keys.get(0));
            if (holder == null) {
                holder = new Holder(session.getId(), keys, true);
                for (String key : keys) {
                    holders.put(key, holder);
                }
            }
            holder.bound = true;
            if (previous != null) {
                Holder old = holders.get(NicknameForm.keys(previous).get(0));
                if (old != null && old != holder && session.getId().equals(old.sessionId)) {
                    unbind(old);
                }
            }
        }
        session.setAttribute(SESSION_ATTRIBUTE, name);
        return new Claim(Outcome.ACCEPTED, name, null);
    }

    private static Claim taken(String name) {
        return new Claim(Outcome.TAKEN, name, NicknameForm.Problem.TAKEN);
    }

    /** Caller holds the lock. No key is held, or every one is held by this session's own holder. */
    private boolean freeFor(List<String> keys, String sessionId) {
        for (String key : keys) {
            Holder holder = holders.get(key);
            if (holder != null && (sessionId == null || !sessionId.equals(holder.sessionId))) {
                return false;
            }
        }
        return true;
    }

    private static String idOf(HttpSession session) {
        try {
            return session == null ? null : session.getId();
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /** The session ended or expired: its name stays held only while a connection that joined under it is open. */
    void release(HttpSession session) {
        String name = boundTo(session);
        if (name == null) {
            return;
        }
        synchronized (this) {
            Holder holder = holders.get(NicknameForm.keys(name).get(0));
            if (holder != null && session.getId().equals(holder.sessionId)) {
                unbind(holder);
            }
        }
    }

    /**
     * A connection joined under {@code name} (null for a guest): the name stays held until the returned hold is
     * released, even if the session that claimed it ends first.
     */
    Hold hold(String name) {
        if (name == null) {
            return NOTHING;
        }
        List<String> keys = NicknameForm.keys(name);
        Holder holder;
        synchronized (this) {
            holder = holders.get(keys.get(0));
            if (holder == null) {
                // The session let the name go between the handshake and now: the socket holds it on its own.
                holder = new Holder(null, keys, false);
                for (String key : keys) {
                    holders.putIfAbsent(key, holder);
                }
            }
            holder.connections++;
        }
        Holder held = holder;
        boolean[] released = {false};
        return () -> {
            synchronized (this) {
                if (!released[0]) {
                    released[0] = true;
                    held.connections--;
                    forgetIfUnused(held);
                }
            }
        };
    }

    /** Caller holds the lock. */
    private void unbind(Holder holder) {
        holder.bound = false;
        forgetIfUnused(holder);
    }

    /** Caller holds the lock. */
    private void forgetIfUnused(Holder holder) {
        if (!holder.bound && holder.connections == 0) {
            for (String key : new ArrayList<>(holder.keys)) {
                holders.remove(key, holder);
            }
        }
    }

    /** Whether anyone holds this name or one that looks like it (for tests and diagnostics). */
    synchronized boolean isHeld(String name) {
        for (String key : NicknameForm.keys(name)) {
            if (holders.containsKey(key)) {
                return true;
            }
        }
        return false;
    }
}
