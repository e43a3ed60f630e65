package chatroom.nickname;

import java.util.List;

/** The Redis keys a name is held under, for tests outside this package that look into Redis. */
public final class NameKeys {
    private NameKeys() {
    }

    public static List<String> of(String name) {
        return NicknameForm.keys(NicknameForm.normalise(name)).stream().map(key -> "chatroom:name:" + key).toList();
    }
}
