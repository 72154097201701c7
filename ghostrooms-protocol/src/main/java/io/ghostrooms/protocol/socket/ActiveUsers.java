package io.ghostrooms.protocol.socket;

import java.util.List;

public record ActiveUsers(List<String> users) {
}
