package io.ghostrooms.server.legacy;

import io.ghostrooms.persistence.legacy.LegacyMemberRow;
import io.ghostrooms.persistence.legacy.LegacyMessageRow;
import io.ghostrooms.persistence.legacy.LegacyUserRow;
import io.ghostrooms.protocol.Timestamps;
import io.ghostrooms.protocol.legacy.LegacyMessage;
import io.ghostrooms.protocol.legacy.LegacyRoomUser;
import io.ghostrooms.protocol.legacy.LegacyUser;
import java.time.Instant;

/** Rows to the legacy API's Prisma-style objects, in one place. */
final class LegacyShapes {
    private LegacyShapes() {
    }

    static LegacyUser user(LegacyUserRow row) {
        return new LegacyUser(row.id(), row.username(), Timestamps.format(row.createdAt()),
                Timestamps.format(row.updatedAt()));
    }

    static LegacyRoomUser member(LegacyMemberRow row, String legacyRoomId) {
        return new LegacyRoomUser(row.id(), row.userId(), legacyRoomId, Timestamps.format(row.joinedAt()),
                new LegacyUser(row.userId(), row.username(), Timestamps.format(row.userCreatedAt()),
                        Timestamps.format(row.userUpdatedAt())));
    }

    /** A stored message; a sender that is gone keeps the name it sent under, without timestamps. */
    static LegacyMessage message(LegacyMessageRow row, String legacyRoomId) {
        return new LegacyMessage(row.id(), row.content(), row.userId(), legacyRoomId,
                Timestamps.format(row.createdAt()),
                new LegacyUser(row.userId(), row.nickname(), format(row.userCreatedAt()), format(row.userUpdatedAt())));
    }

    private static String format(Instant at) {
        return at == null ? null : Timestamps.format(at);
    }
}
