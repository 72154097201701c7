package io.ghostrooms.server.rooms;

import io.ghostrooms.persistence.Database;
import io.ghostrooms.persistence.rooms.RoomDao;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.rest.PublicRoom;
import java.time.Clock;
import java.util.List;

/** The list of active public rooms, newest first (REST, get_public_rooms and the lobby broadcast). */
public final class PublicRooms {
    private static final int LIMIT = 100;
    private final Database database;
    private final Clock clock;

    public PublicRooms(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    public List<PublicRoom> list() {
        return database.dao(RoomDao.class).listActivePublic(clock.instant(), LIMIT).stream()
                .map(r -> new PublicRoom(r.token(), r.name(), r.participantCount(), Timestamps.format(r.expiresAt()),
                        Timestamps.format(r.createdAt())))
                .toList();
    }
}
