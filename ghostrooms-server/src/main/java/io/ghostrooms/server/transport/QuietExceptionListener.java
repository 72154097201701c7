package io.ghostrooms.server.transport;

import com.corundumstudio.socketio.SocketIOClient;
import com.corundumstudio.socketio.listener.ExceptionListener;
import io.ghostrooms.server.common.Failures;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * netty-socketio's default listener logs failures with their messages and stack traces, which can
 * quote client payloads and query strings (tokens). This one logs the failure's class only.
 */
final class QuietExceptionListener implements ExceptionListener {
    private static final Logger log = LoggerFactory.getLogger("io.ghostrooms.server.transport.Errors");

    @Override
    public void onEventException(Exception e, List<Object> args, SocketIOClient client) {
        log.warn("event handler failure ({})", Failures.describe(e));
    }

    @Override
    public void onDisconnectException(Exception e, SocketIOClient client) {
        log.warn("disconnect handler failure ({})", Failures.describe(e));
    }

    @Override
    public void onConnectException(Exception e, SocketIOClient client) {
        log.warn("connect handler failure ({})", Failures.describe(e));
    }

    @Override
    public void onPingException(Exception e, SocketIOClient client) {
    }

    @Override
    public void onPongException(Exception e, SocketIOClient client) {
    }

    @Override
    public boolean exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
        log.debug("channel failure ({})", Failures.describe(e));
        // Through the whole pipeline, so that PollingPostOrder answers a held POST first.
        ctx.channel().close();
        return true;
    }

    @Override
    public void onAuthException(Throwable e, SocketIOClient client) {
        log.warn("auth failure ({})", Failures.describe(e));
    }
}
