package io.ghostrooms.protocol.socket;

public enum MessageType {
    TEXT, STICKER, IMAGE, FILE;

    /** The type named exactly by the wire value, or null. */
    public static MessageType fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (MessageType type : values()) {
            if (type.name().equals(value)) {
                return type;
            }
        }
        return null;
    }
}
