package io.ghostrooms.server.bus;

import io.ghostrooms.server.transport.Connection;
import io.ghostrooms.server.transport.OutboundEvent;

/**
 * The one seam every room broadcast and room membership goes through. In one process it is
 * {@link LocalRoomBus}; a cluster puts a shared bus behind the same three calls, so a node learns
 * which rooms it has members in (join/leave) and every node delivers a room's events to its own
 * members (publish).
 */
public interface RoomBus {
    /** The connection becomes a member of the room on this node. */
    void join(Connection connection, String room);

    /** The connection is no longer a member of the room. */
    void leave(Connection connection, String room);

    /** Delivers the event to every member of the room, except the connection {@code exceptId} (null: none). */
    void publish(String room, OutboundEvent event, String exceptId);
}
