package io.ghostrooms.protocol.rest;

public record Health(String status, String timestamp, double uptime, String service, String version) {
}
