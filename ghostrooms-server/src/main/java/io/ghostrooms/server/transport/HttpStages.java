package io.ghostrooms.server.transport;

import io.netty.channel.ChannelHandler;
import java.util.function.Supplier;

/**
 * The stages of the non-Socket.IO side of the port, made by the bootstrap and placed by
 * {@link GhostRoomsPipeline}: uploads streamed before aggregation, the body limit, and REST after
 * aggregation. Per-channel stages come from suppliers; REST is shared.
 */
public record HttpStages(Supplier<ChannelHandler> uploads, Supplier<ChannelHandler> bodyLimit, ChannelHandler rest) {
}
