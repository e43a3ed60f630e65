package chatroom.nickname;

import jakarta.servlet.http.HttpSession;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Who holds which nickname. A name means one person: names are compared by their {@link NicknameForm#keys keys}
 * (case folded, confusable skeleton), so "alice", "ALICE", "Аlice" with a Cyrillic А and fullwidth "ａｌｉｃｅ"
 * are one name. A name is held by one HttpSession until that session posts another name, ends or expires, and
 * after that for as long as any connection that joined under it is still open (a socket does not keep its
 * HttpSession alive, yet its owner is still talking under that name).
 *
 * <p>With several nodes the table is this node's truth and the {@link NameRegistry} keeps a name to one node: a
 * name becomes held here only once the registry granted all its keys to the new holder, and is given back to the
 * registry when it is let go here. While the registry cannot be asked, new names are refused (UNAVAILABLE) and
 * names already held stay held.
 *
 * <p>One lock guards the table: claims are rare and each change is a few map operations; no I/O happens under it
 * (the registry is asked between two locked steps).
 */
public final class Nicknames implements NameRegistry.Holds {
    static final String SESSION_ATTRIBUTE = "chat.user";

    public enum Outcome { ACCEPTED, INVALID, TAKEN, UNAVAILABLE }

    /** {@code problem} is null when accepted. */
    public record Claim(Outcome outcome, String name, NicknameForm.Problem problem) {
        public String message() {
            return problem == null ? null : problem.message();
        }
    }

    /**
     * One held name: by a session (while {@code bound}) and by {@code connections} open sockets. {@code owner} is
     * its token in the registry, unique to this holder on this node.
     */
    private static final class Holder {
        /** Follows the session when the container gives it a new id ({@link #sessionIdChanged}). */
        String sessionId;
        final String owner;
        final List<String> keys;
        boolean bound;
        int connections;
        /** Held for a signed-in person: their account's name, which no guest's session may go on using. */
        boolean signedIn;

        Holder(String sessionId, String owner, List<String> keys, boolean bound) {
            this.sessionId = sessionId;
            this.owner = owner;
            this.keys = keys;
            this.bound = bound;
        }
    }

    /** A connection's hold on its name; {@link #release} is safe to call more than once. */
    public interface Hold {
        public void release();
    }

    private static final Hold NOTHING = () -> { };

    /** Each key of each held name to its holder. Guarded by {@code this}. */
    private final Map<String, Holder> holders = new HashMap<>();
    /** The same holders by owner token. Guarded by {@code this}. */
    private final Map<String, Holder> owners = new HashMap<>();
    private final NameRegistry registry;
    /** This node's part of every owner token: a node restarted is a new node, whose old holds expire. */
    private final String node = UUID.randomUUID().toString();
    /** Guarded by {@code this}. */
    private long lastHolder;

    public Nicknames(NameRegistry registry) {
        this.registry = registry;
    }

    public static String boundTo(HttpSession session) {
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
    public Claim claim(HttpSession existing, Supplier<HttpSession> create, String requested) {
        NicknameForm.Checked checked = NicknameForm.check(requested);
        if (checked.problem() != null) {
            return new Claim(Outcome.INVALID, checked.name(), checked.problem());
        }
        String name = checked.name();
        List<String> keys = NicknameForm.keys(name);
        String existingId = idOf(existing);
        String owner;
        synchronized (this) {
            if (!freeFor(keys, existingId)) {
                return taken(name);
            }
            Holder own = holders.get(keys.get(0));
            // Already this session's here: the registry has it under that holder's token, nothing to ask.
            owner = own != null ? null : newOwner();
        }
        if (owner != null) {
            NameRegistry.Answer answer = registry.claim(owner, keys);
            if (answer != NameRegistry.Answer.GRANTED) {
                return answer == NameRegistry.Answer.TAKEN ? taken(name)
                        : new Claim(Outcome.UNAVAILABLE, name, NicknameForm.Problem.UNAVAILABLE);
            }
        }
        HttpSession session = existing != null && existingId != null ? existing : create.get();
        String previous = boundTo(session);
        Holder letGo = null;
        boolean accepted;
        synchronized (this) {
            accepted = freeFor(keys, session.getId());
            if (accepted) {
                Holder holder = holders.get(keys.get(0));
                if (holder == null) {
                    holder = remember(new Holder(session.getId(), owner != null ? owner : newOwner(), keys, true));
                }
                holder.bound = true;
                if (previous != null) {
                    Holder old = holders.get(NicknameForm.keys(previous).get(0));
                    if (old != null && old != holder && session.getId().equals(old.sessionId) && unbind(old)) {
                        letGo = old;
                    }
                }
            }
        }
        if (owner != null && !holds(owner)) {
            // Lost a race for the name here after the registry granted it (or another claim of this session won).
            registry.release(owner, keys);
        }
        if (letGo != null) {
            registry.release(letGo.owner, letGo.keys);
        }
        if (!accepted) {
            // A session made for this claim would now hold nothing.
            if (session != existing) {
                session.invalidate();
            }
            return taken(name);
        }
        session.setAttribute(SESSION_ATTRIBUTE, name);
        return new Claim(Outcome.ACCEPTED, name, null);
    }

    /**
     * The session signed in as {@code name} (an account's name, which the container vouches for and which need not
     * pass the nickname rules): the name is held for that session as a claimed nickname is, until the session
     * ends, and a nickname the session held before is let go. The account wins over a guest who held the name or
     * a look-alike: that guest keeps nothing of it ({@link #nameOf}). Cheap when the session holds it already, as
     * on every page load. Asks the registry nothing: its next refresh claims the name for this holder, as for a
     * socket that holds a name on its own.
     */
    public void signIn(HttpSession session, String name) {
        String id = idOf(session);
        if (id == null) {
            return;
        }
        List<String> keys = NicknameForm.keys(name);
        String previous = boundTo(session);
        Holder letGo = null;
        synchronized (this) {
            Holder holder = holders.get(keys.get(0));
            if (holder != null && holder.signedIn && id.equals(holder.sessionId) && name.equals(previous)) {
                return;
            }
            if (holder == null || !id.equals(holder.sessionId)) {
                holder = new Holder(id, newOwner(), keys, true);
                // Taken over, not removed: a guest's open sockets still release their own holder when they close.
                remember(holder);
            }
            holder.bound = true;
            holder.signedIn = true;
            if (previous != null && !previous.equals(name)) {
                Holder old = holders.get(NicknameForm.keys(previous).get(0));
                if (old != null && old != holder && id.equals(old.sessionId) && unbind(old)) {
                    letGo = old;
                }
            }
        }
        if (letGo != null) {
            registry.release(letGo.owner, letGo.keys);
        }
        session.setAttribute(SESSION_ATTRIBUTE, name);
    }

    /**
     * The name a guest's session chats under: its claimed nickname, unless someone signed in with that name (or a
     * look-alike) since; then null, and the guest picks another.
     */
    public String nameOf(HttpSession session) {
        String name = boundTo(session);
        if (name == null) {
            return null;
        }
        synchronized (this) {
            Holder holder = holders.get(NicknameForm.keys(name).get(0));
            boolean takenBack = holder != null && holder.signedIn
                    && (holder.sessionId == null || !holder.sessionId.equals(idOf(session)));
            return takenBack ? null : name;
        }
    }

    /** Caller holds the lock; no key of the holder's is held. */
    private Holder remember(Holder holder) {
        for (String key : holder.keys) {
            holders.put(key, holder);
        }
        owners.put(holder.owner, holder);
        return holder;
    }

    /** Caller holds the lock. */
    private String newOwner() {
        return node + "/" + ++lastHolder;
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

    /** The session's id; null for no session or one already invalidated. */
    public static String idOf(HttpSession session) {
        try {
            return session == null ? null : session.getId();
        } catch (IllegalStateException invalidated) {
            return null;
        }
    }

    /**
     * The container gave a session a new id (as it does when a nickname is accepted): the name it holds goes with
     * it, so the session can still rename itself and its end still releases the name.
     */
    public synchronized void sessionIdChanged(String oldId, String newId) {
        for (Holder holder : owners.values()) {
            if (oldId.equals(holder.sessionId)) {
                holder.sessionId = newId;
            }
        }
    }

    /** The session ended or expired: its name stays held only while a connection that joined under it is open. */
    public void release(HttpSession session) {
        String name = boundTo(session);
        if (name == null) {
            return;
        }
        Holder letGo = null;
        synchronized (this) {
            Holder holder = holders.get(NicknameForm.keys(name).get(0));
            if (holder != null && session.getId().equals(holder.sessionId) && unbind(holder)) {
                letGo = holder;
            }
        }
        if (letGo != null) {
            registry.release(letGo.owner, letGo.keys);
        }
    }

    /**
     * A connection joined under {@code name} (null for a guest): the name stays held until the returned hold is
     * released, even if the session that claimed it ends first.
     */
    public Hold hold(String name) {
        if (name == null) {
            return NOTHING;
        }
        List<String> keys = NicknameForm.keys(name);
        Holder holder;
        synchronized (this) {
            holder = holders.get(keys.get(0));
            if (holder == null) {
                // The session let the name go between the handshake and now: the socket holds it on its own. The
                // registry's next refresh (within a second) claims it for this holder; no I/O on the opening socket.
                holder = remember(new Holder(null, newOwner(), keys, false));
            }
            holder.connections++;
        }
        Holder held = holder;
        boolean[] released = {false};
        return () -> {
            boolean forgotten = false;
            synchronized (this) {
                if (!released[0]) {
                    released[0] = true;
                    held.connections--;
                    forgotten = forgetIfUnused(held);
                }
            }
            if (forgotten) {
                registry.release(held.owner, held.keys);
            }
        };
    }

    /** Caller holds the lock. Whether the name is no longer held here (the caller then releases it, unlocked). */
    private boolean unbind(Holder holder) {
        holder.bound = false;
        return forgetIfUnused(holder);
    }

    /** Caller holds the lock. */
    private boolean forgetIfUnused(Holder holder) {
        if (holder.bound || holder.connections > 0) {
            return false;
        }
        for (String key : holder.keys) {
            holders.remove(key, holder);
        }
        owners.remove(holder.owner, holder);
        return true;
    }

    @Override
    public synchronized Map<String, List<String>> held() {
        Map<String, List<String>> held = new LinkedHashMap<>();
        owners.forEach((owner, holder) -> held.put(owner, holder.keys));
        return held;
    }

    @Override
    public synchronized boolean holds(String owner) {
        return owners.containsKey(owner);
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
