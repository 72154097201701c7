package io.ghostrooms.server.rooms;

import io.ghostrooms.protocol.Events;
import io.ghostrooms.protocol.rest.PublicRoom;
import io.ghostrooms.protocol.socket.ActiveUsers;
import io.ghostrooms.protocol.socket.PublicRoomsUpdate;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.presence.Presence;
import io.ghostrooms.server.transport.Broadcasts;
import io.ghostrooms.server.transport.OutboundEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * active_users and public_rooms_update go to every connected socket, so they are coalesced: changes
 * only mark them dirty, and {@link #tick} (once a second) sends each at most once, and only if its
 * content differs from what was last sent. A join storm costs one broadcast per second, not one
 * per join.
 */
public final class GlobalBroadcasts implements RoomService.RoomsChangedListener {
    private static final Logger log = LoggerFactory.getLogger(GlobalBroadcasts.class);
    private final Broadcasts everyone;
    private final Presence presence;
    private final PublicRooms publicRooms;
    private final AtomicBoolean publicRoomsDirty = new AtomicBoolean(true);
    private final AtomicBoolean activeUsersDirty = new AtomicBoolean(true);
    private volatile List<PublicRoom> lastPublicRooms;
    private volatile List<String> lastActiveUsers;

    public GlobalBroadcasts(Broadcasts everyone, Presence presence, PublicRooms publicRooms) {
        this.everyone = everyone;
        this.presence = presence;
        this.publicRooms = publicRooms;
    }

    @Override
    public void publicRoomsChanged() {
        publicRoomsDirty.set(true);
    }

    public void activeUsersChanged() {
        activeUsersDirty.set(true);
    }

    /** Sends what changed since the last tick. Runs on the scheduler, never on an event loop. */
    public void tick() {
        try {
            if (activeUsersDirty.getAndSet(false)) {
                List<String> users = presence.activeUsers();
                if (!users.equals(lastActiveUsers)) {
                    lastActiveUsers = users;
                    everyone.toEveryone(OutboundEvent.of(Events.ACTIVE_USERS, new ActiveUsers(users)));
                }
            }
            if (publicRoomsDirty.getAndSet(false)) {
                sendPublicRooms(false);
            }
        } catch (RuntimeException e) {
            log.warn("global broadcast skipped ({})", Failures.describe(e));
        }
    }

    /** The once-a-minute refresh of the contract: sent even if unchanged. */
    public void refreshPublicRooms() {
        try {
            sendPublicRooms(true);
        } catch (RuntimeException e) {
            log.warn("public rooms refresh skipped ({})", Failures.describe(e));
        }
    }

    private void sendPublicRooms(boolean always) {
        if (presence.connectedCount() == 0) {
            lastPublicRooms = null;
            return;
        }
        List<PublicRoom> current = publicRooms.list();
        if (always || !current.equals(lastPublicRooms)) {
            lastPublicRooms = current;
            everyone.toEveryone(OutboundEvent.of(Events.PUBLIC_ROOMS_UPDATE, new PublicRoomsUpdate(current)));
        }
    }
}
