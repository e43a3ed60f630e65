package chatroom.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import org.junit.jupiter.api.Test;

class ResumeTest {
    /** A room whose last id is 120 and which retains 101..120. */
    private static Resume resume(Long after, long issued) {
        return Resume.of(after, 120, 100, issued);
    }

    @Test
    void retainedIdsAreReplayedFromTheOldestKeptOnwards() {
        assertEquals(Resume.REPLAY, resume(120L, -1), "up to date: nothing to replay");
        assertEquals(Resume.REPLAY, resume(100L, -1), "everything after 100 is retained");
        assertEquals(Resume.GAP, resume(99L, -1), "101 is the oldest kept: 100 is gone");
        assertEquals(Resume.GAP, resume(0L, -1));
    }

    @Test
    void anEmptyHistoryIsAGapForAnyOlderId() {
        // A restarted in-memory room: last id 5000, nothing retained, so the next id is the oldest to be had.
        assertEquals(Resume.REPLAY, Resume.of(5000L, 5000, 5000, -1));
        assertEquals(Resume.GAP, Resume.of(4999L, 5000, 5000, -1));
    }

    @Test
    void idsAheadOfThisNodeWaitForTheStreamOnlyWhenTheBackplaneGaveThemOut() {
        assertEquals(Resume.FROM_STREAM, resume(125L, 130));
        assertEquals(Resume.AHEAD, resume(131L, 130));
        assertEquals(Resume.AHEAD, resume(121L, -1), "no backplane, or it cannot say");
    }

    @Test
    void somethingThatIsNotAnIdIsUnreadable() {
        assertEquals(Resume.UNREADABLE, resume(null, -1));
    }
}
