package io.ghostrooms.protocol.socket;

import io.ghostrooms.protocol.rest.PublicRoom;
import java.util.List;

public record PublicRoomsUpdate(List<PublicRoom> rooms) {
}
