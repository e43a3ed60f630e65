package chatroom.room;

import chatroom.wire.ErrorCode;
import chatroom.wire.Frame;
import chatroom.wire.Standing;
import jakarta.websocket.CloseReason;

/**
 * What the rooms ask moderation: whether a person may be here at all, whether they may post now, and what their
 * welcome says about it. Every answer is a few hash lookups: it is asked on every join and every post.
 */
public interface Gate {
    /** No moderation: everyone may join and post (unit tests, and what the rooms did before moderation). */
    Gate OPEN = new Gate() {
        @Override
        public Sendoff barred(Person person, long nowMillis) {
            return null;
        }

        @Override
        public Refusal refusePost(String room, Person person, long nowMillis) {
            return null;
        }

        @Override
        public Standing standing(String room, Person person, long nowMillis) {
            return new Standing(person.signedIn(), person.moderator(), true, 0, true, 0);
        }

        @Override
        public void arrived(Person person) {
        }
    };

    /** Why this person may be in no room now (a ban): what they are told, then the close; null when they may. */
    Sendoff barred(Person person, long nowMillis);

    /**
     * Why this person may not post in this room now (muted, a read-only room, slow mode); null when they may, and
     * then the post counts for the slow mode.
     */
    Refusal refusePost(String room, Person person, long nowMillis);

    /** What the welcome tells this person about the room's rules and their own state. */
    Standing standing(String room, Person person, long nowMillis);

    /** A person joined a room (not on every post): moderation notes the address their name used. */
    void arrived(Person person);

    /** A post refused: the error code, what the person is told, and when that ends (epoch ms; 0: not said). */
    record Refusal(ErrorCode code, String message, long until) {
    }

    /** A person sent away: a notice first (chat.v1), then the close. */
    record Sendoff(Frame notice, CloseReason reason) {
    }
}
