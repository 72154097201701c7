package io.ghostrooms.server.rooms;

import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.socket.RoomClosed;
import io.ghostrooms.protocol.socket.RoomTtlWarning;
import io.ghostrooms.server.bus.RoomBus;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.files.FileService;
import io.ghostrooms.server.messages.MessageService;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.presence.SocketState;
import io.ghostrooms.server.transport.OutboundEvent;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The end of a room for everyone in it, and the warnings before it. Called by the jobs, on workers. */
public final class RoomCloser {
    private static final Logger log = LoggerFactory.getLogger(RoomCloser.class);

    private final Presence presence;
    private final RoomService rooms;
    private final MessageService messages;
    private final FileService files;
    private final RoomBus bus;
    private final GlobalBroadcasts globals;
    private final Clock clock;

    public RoomCloser(Presence presence, RoomService rooms, MessageService messages, FileService files, RoomBus bus,
                      GlobalBroadcasts globals, Clock clock) {
        this.presence = presence;
        this.rooms = rooms;
        this.messages = messages;
        this.files = files;
        this.bus = bus;
        this.globals = globals;
        this.clock = clock;
    }

    /**
     * A room ends for everyone (expiry): room_closed to every member, who are then in no room, and
     * its rows and stored files are deleted. Idempotent.
     */
    public void close(String token, long roomId, String reason) {
        RoomClosed closed = new RoomClosed(reason);
        for (SocketState member : presence.closeRoom(token, roomId)) {
            member.connection().send(Events.ROOM_CLOSED, closed);
            bus.leave(member.connection(), token);
        }
        messages.forgetRoom(roomId);
        try {
            files.deleteStoredLater(rooms.purge(roomId));
        } catch (RuntimeException e) {
            log.warn("room purge deferred to cleanup ({})", Failures.describe(e));
        }
        globals.activeUsersChanged();
        globals.publicRoomsChanged();
    }

    /** room_ttl_warning to every occupied room that ends within five minutes (the minute tick). */
    public void warnRoomsEndingSoon() {
        for (Presence.OccupiedRoom room : presence.occupiedRooms()) {
            long left = RoomRules.secondsLeft(clock.instant(), room.expiresAt());
            if (left > 0 && left <= RoomRules.WARNING_SECONDS) {
                bus.publish(room.token(), OutboundEvent.of(Events.ROOM_TTL_WARNING, new RoomTtlWarning(left)), null);
            }
        }
    }

}
