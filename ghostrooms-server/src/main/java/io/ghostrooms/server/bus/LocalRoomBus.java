package io.ghostrooms.server.bus;

import io.ghostrooms.server.transport.Broadcasts;
import io.ghostrooms.server.transport.Connection;
import io.ghostrooms.server.transport.OutboundEvent;

/** The bus of a single node: every member is a connection of this process. */
public final class LocalRoomBus implements RoomBus {
    private final Broadcasts broadcasts;

    public LocalRoomBus(Broadcasts broadcasts) {
        this.broadcasts = broadcasts;
    }

    @Override
    public void join(Connection connection, String room) {
        broadcasts.join(connection, room);
    }

    @Override
    public void leave(Connection connection, String room) {
        broadcasts.leave(connection, room);
    }

    @Override
    public void publish(String room, OutboundEvent event, String exceptId) {
        broadcasts.toRoom(room, event, exceptId);
    }
}
