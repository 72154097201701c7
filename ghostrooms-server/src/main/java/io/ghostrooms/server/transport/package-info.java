/**
 * Everything that knows netty-socketio: its configuration, the pipeline of every connection
 * ({@link io.ghostrooms.server.transport.GhostRoomsPipeline}, in reading order), the bounded stop, and
 * the patches for its defects. The rest of the server sees only {@link
 * io.ghostrooms.server.transport.Connection}, {@link io.ghostrooms.server.transport.Ack}, {@link
 * io.ghostrooms.server.transport.SocketListener}, {@link io.ghostrooms.server.transport.Broadcasts},
 * {@link io.ghostrooms.server.transport.OutboundEvent}, {@link
 * io.ghostrooms.server.transport.HttpStages} and {@link io.ghostrooms.server.transport.RequestSeen}.
 *
 * <h2>Patches</h2>
 * All written against netty-socketio 2.0.14 ({@link
 * io.ghostrooms.server.transport.SocketTransport#PATCHED_NETTY_SOCKETIO}; {@code PinnedLibraryTest}
 * fails when the version on the classpath changes). 2.0.14 is the newest release and its fork has
 * the same defects. Delete a patch, with its test, once the release you upgrade to fixes it.
 * <table>
 * <caption>netty-socketio 2.0.14 defects and what we do about them</caption>
 * <tr><th>patch</th><th>symptom in 2.0.14</th><th>pinned by</th></tr>
 * <tr><td>CompletePacketEncoder</td><td>a poll response that finds more than 50 packets queued
 * drops packet 51 (a message or an ack), silently; one packet Jackson cannot write (a raw payload
 * holding an unpaired surrogate) fails the whole poll and that member never receives again</td>
 * <td>CompletePacketEncoderTest</td></tr>
 * <tr><td>PollingHandoff</td><td>a polling GET bound while the previous one's close is handled on the
 * other event loop is unbound: that client never receives again</td><td>PollingHandoffTest</td></tr>
 * <tr><td>PollingPostOrder</td><td>a polling POST is answered before its events are queued, so the
 * client's next POST can overtake it on the other loop (messages stored out of order)</td>
 * <td>e2e chat: "a long-polling sender has its messages stored in the order it sent them"</td></tr>
 * <tr><td>TransportGuard</td><td>a malformed sid throws (request unanswered, sid logged); polling with
 * an upgraded session's sid is accepted (anyone holding it can emit as that socket); a binary
 * packet makes every later frame an attachment, unbounded; unknown sessions get a bare 500</td>
 * <td>e2e catalogue: "polling with the sid of an upgraded websocket session…", "polling with an
 * unknown or malformed sid…", "a BINARY_EVENT whose attachments never arrive…"</td></tr>
 * <tr><td>UpgradeProbeNudge</td><td>the probe's single NOOP can be drained by a returning poll; the
 * upgrade and every emit during it stall until the next ping (25 s)</td><td>e2e chat: "events
 * emitted while sockets upgrade are answered within a second"</td></tr>
 * <tr><td>WebSocketChannels + WebSocketFanout</td><td>(cost, not a bug) a broadcast is one packet
 * copy, one write task and one JSON encoding per recipient; the channel of a websocket is not
 * exposed; HTTP stages stay in a websocket's pipeline for its life</td><td>WebSocketChannelsTest,
 * WebSocketConnectionTest, e2e chat: "a room whose members use different transports…"</td></tr>
 * <tr><td>HandshakeHeaders</td><td>(memory, privacy) the handshake's headers, cookies included, are
 * kept for the connection's life though only Origin is read again</td><td>HandshakeHeadersTest,
 * WebSocketConnectionTest</td></tr>
 * <tr><td>RequestSeen</td><td>a connection whose first request is answered by an HTTP stage (REST,
 * upload) is closed by the first-data timeout 10 s after it opened, mid-request</td>
 * <td>OnePortTest.keepAliveRestConnectionOutlivesTheFirstDataTimeout,
 * UploadApiTest.anUploadSlowerThanTheFirstDataTimeoutCompletes</td></tr>
 * <tr><td>QuietExceptionListener, UnhandledFailureCloser</td><td>failures are logged with messages
 * and stack traces that quote client payloads and query strings; an unhandled one leaves the
 * request unanswered on an open connection</td><td>e2e catalogue: "after the whole catalogue the
 * logs hold no stack trace…"</td></tr>
 * <tr><td>SocketTransport.releaseDefaultPipelineFactory</td><td>the default initializer replaced by
 * ours leaks a timer (an ERROR with a stack trace from Netty's leak detector)</td>
 * <td>PinnedLibraryTest (the private fields it reads)</td></tr>
 * <tr><td>SlowReaders</td><td>a long-polling client's packets are queued without a bound until it
 * polls (one that stopped polling made the server hold it all); SocketIOClient.disconnect() only
 * queues a DISCONNECT packet, so it never ends a client that stopped reading (ClientConnection.close
 * ends the Engine.IO session instead)</td><td>e2e hardening: "a long-polling client that stops
 * polling is disconnected once its backlog is full"</td></tr>
 * <tr><td>SocketTransport.stopWithin</td><td>stop() waits without a bound; a dead event loop made
 * SIGTERM hang forever</td><td>ShutdownTest</td></tr>
 * </table>
 *
 * <h2>Edge stages</h2>
 * Not netty-socketio's defects but the HTTP/1.1 and backpressure rules every connection of the port
 * obeys, Socket.IO or REST (PROTOCOL.md "Input rules"):
 * <table>
 * <caption>Edge stages and what they refuse</caption>
 * <tr><th>stage</th><th>what</th><th>pinned by</th></tr>
 * <tr><td>StrictHttpRequestDecoder</td><td>Content-Length beside chunked is a failed request (Netty
 * 4.1.130 drops the Content-Length and decodes a hidden request); absolute-form targets are routed by
 * path</td><td>StrictHttpRequestDecoderTest</td></tr>
 * <tr><td>FramingGuard</td><td>400 + close for every ambiguous framing (RFC 9112 §6.1, §6.3)</td>
 * <td>FramingGuardTest, e2e http-framing</td></tr>
 * <tr><td>PipelinedRequestGate</td><td>one request at a time per connection, answers in request
 * order, HEAD without a body</td><td>PipelinedRequestGateTest, HttpFramingServerTest, e2e
 * http-framing</td></tr>
 * <tr><td>SlowReaders (websocket)</td><td>a frame written while the outbound buffer is over its 1 MB
 * high-water mark closes the connection</td><td>SlowReadersTest, e2e hardening: "a websocket that
 * stops reading is closed"</td></tr>
 * </table>
 */
package io.ghostrooms.server.transport;
