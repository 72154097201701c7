package io.ghostrooms.server.presence;

import java.util.List;

/** A room's members after a change: nicknames in join order. */
public record Participants(List<String> nicknames) {
    public int count() {
        return nicknames.size();
    }
}
