package io.ghostrooms.server.bus;

import io.ghostrooms.server.transport.Connection;
import io.ghostrooms.server.transport.OutboundEvent;

/** A bus for service tests that have no members to deliver to. */
public final class SilentRoomBus implements RoomBus {
    @Override
    public void join(Connection connection, String room) {
    }

    @Override
    public void leave(Connection connection, String room) {
    }

    @Override
    public void publish(String room, OutboundEvent event, String exceptId) {
    }
}
