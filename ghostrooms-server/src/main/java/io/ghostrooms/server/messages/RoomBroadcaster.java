package io.ghostrooms.server.messages;

import io.ghostrooms.protocol.socket.MessageDto;

/** Where stored messages and deletions go out to a room's members (the Socket.IO layer). */
public interface RoomBroadcaster {
    void newMessage(String roomToken, MessageDto message);

    void messageDeleted(String roomToken, String messageId);
}
