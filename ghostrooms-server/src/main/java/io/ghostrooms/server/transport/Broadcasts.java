package io.ghostrooms.server.transport;

/**
 * The rooms of this node's connections and the deliveries to them. Room broadcasts reach it only
 * through the room bus; {@link #toEveryone} is for the lobby lists every socket receives.
 */
public interface Broadcasts {
    void join(Connection connection, String room);

    void leave(Connection connection, String room);

    /** To every connection of this node in the room, except the one with {@code exceptId} (null: none). */
    void toRoom(String room, OutboundEvent event, String exceptId);

    /** To every connection of this node. */
    void toEveryone(OutboundEvent event);
}
