package io.ghostrooms.server.http;

import io.ghostrooms.protocol.ErrorCode;
import io.ghostrooms.protocol.rest.UploadResponse;
import io.ghostrooms.server.common.Failures;
import io.ghostrooms.server.common.GhostRoomsException;
import io.ghostrooms.server.files.UploadService;
import io.ghostrooms.server.transport.RequestSeen;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Streams POST /api/files/upload to disk with Netty's multipart decoder, before netty-socketio's
 * aggregator could buffer it: memory stays bounded whatever the size, and a body over
 * MAX_FILE_SIZE_MB is refused with 413 as soon as its length (declared or counted) passes the
 * limit. One instance per channel.
 */
public final class UploadHandler extends ChannelInboundHandlerAdapter {
    public static final String PATH = "/api/files/upload";
    /** Room for the multipart envelope around the file. */
    private static final long ENVELOPE_BYTES = 64 * 1024;
    private static final DefaultHttpDataFactory DISK = new DefaultHttpDataFactory(16 * 1024);

    private final UploadService uploads;
    private final Cors cors;
    private final Executor workers;
    private final Responder responder;
    private HttpPostRequestDecoder decoder;
    private FileUpload file;
    private long received;
    private String origin;
    private boolean discarding;
    private boolean keepAlive;
    private long drainUntil;

    /** Writes a response (status, body) for the current request and closes the connection if asked. */
    public interface Responder {
        void respond(ChannelHandlerContext ctx, String origin, RestResponse response, boolean close);
    }

    public UploadHandler(UploadService uploads, Cors cors, Executor workers, Responder responder) {
        this.uploads = uploads;
        this.cors = cors;
        this.workers = workers;
        this.responder = responder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && isUpload(request)) {
            start(ctx, request);
            if (msg instanceof HttpContent content) {
                onContent(ctx, content);
            }
            return;
        }
        if (msg instanceof HttpContent content && (decoder != null || discarding)) {
            onContent(ctx, content);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private static boolean isUpload(HttpRequest request) {
        if (request.method() != HttpMethod.POST) {
            return false;
        }
        String uri = request.uri();
        int q = uri.indexOf('?');
        return (q < 0 ? uri : uri.substring(0, q)).equals(PATH);
    }

    private void start(ChannelHandlerContext ctx, HttpRequest request) {
        // An upload in progress is exempt from the first-request deadline.
        RequestSeen.tell(ctx);
        origin = request.headers().get(HttpHeaderNames.ORIGIN);
        keepAlive = HttpUtil.isKeepAlive(request);
        received = 0;
        file = null;
        try {
            if (!cors.allows(origin)) {
                throw new GhostRoomsException(ErrorCode.FORBIDDEN, "Origin not allowed");
            }
            if (HttpUtil.getContentLength(request, -1L) > uploads.maxBytes() + ENVELOPE_BYTES) {
                throw new GhostRoomsException(ErrorCode.FILE_TOO_LARGE);
            }
            uploads.admit(clientIp(ctx));
            if (!HttpPostRequestDecoder.isMultipart(request)) {
                throw new GhostRoomsException(ErrorCode.NO_FILE, "Send the file as multipart/form-data in the field 'file'");
            }
            decoder = new HttpPostRequestDecoder(DISK, request);
        } catch (GhostRoomsException e) {
            refuse(ctx, e);
        } catch (RuntimeException e) {
            refuse(ctx, new GhostRoomsException(ErrorCode.NO_FILE, "Malformed multipart request"));
        }
    }

    private void onContent(ChannelHandlerContext ctx, HttpContent content) {
        try {
            if (discarding) {
                // Drain a little so the client reads the error instead of a reset, then close.
                received += content.content().readableBytes();
                if (content instanceof LastHttpContent || received > drainUntil) {
                    ctx.close();
                }
                return;
            }
            received += content.content().readableBytes();
            if (received > uploads.maxBytes() + ENVELOPE_BYTES) {
                refuse(ctx, new GhostRoomsException(ErrorCode.FILE_TOO_LARGE));
                return;
            }
            decoder.offer(content);
            drain();
            if (file != null && file.length() > uploads.maxBytes()) {
                refuse(ctx, new GhostRoomsException(ErrorCode.FILE_TOO_LARGE));
                return;
            }
            if (content instanceof LastHttpContent) {
                finish(ctx);
            }
        } catch (HttpPostRequestDecoder.EndOfDataDecoderException e) {
            if (content instanceof LastHttpContent) {
                finish(ctx);
            }
        } catch (RuntimeException | IOException e) {
            refuse(ctx, new GhostRoomsException(ErrorCode.NO_FILE, "Malformed multipart request"));
        } finally {
            content.release();
        }
    }

    private void drain() throws IOException {
        while (decoder.hasNext()) {
            InterfaceHttpData data = decoder.next();
            if (data instanceof FileUpload upload && "file".equals(upload.getName()) && file == null) {
                file = upload;
            } else {
                decoder.removeHttpDataFromClean(data);
                data.release();
            }
        }
    }

    private void finish(ChannelHandlerContext ctx) {
        HttpPostRequestDecoder done = decoder;
        FileUpload upload = file;
        decoder = null;
        file = null;
        String requestOrigin = origin;
        boolean close = !keepAlive;
        if (upload == null || !upload.isCompleted()) {
            done.destroy();
            responder.respond(ctx, requestOrigin, error(new GhostRoomsException(ErrorCode.NO_FILE)), close);
            return;
        }
        workers.execute(() -> {
            RestResponse response;
            try {
                Path temp = Files.createTempFile("gr-upload-", ".part");
                if (upload.isInMemory()) {
                    Files.write(temp, upload.get());
                } else {
                    Files.move(upload.getFile().toPath(), temp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                UploadResponse stored = uploads.store(temp, upload.getFilename());
                response = RestResponse.json(201, stored);
            } catch (Throwable t) {
                // Disk full or file server down: the store left no partial file behind.
                response = error(Failures.translate(t instanceof IOException ? new GhostRoomsException(ErrorCode.STORAGE_UNAVAILABLE) : t));
            } finally {
                done.destroy();
            }
            responder.respond(ctx, requestOrigin, response, close);
        });
    }

    private void refuse(ChannelHandlerContext ctx, GhostRoomsException e) {
        if (decoder != null) {
            decoder.destroy();
            decoder = null;
        }
        file = null;
        // The rest of the body is not read: answer and close, so a huge upload costs nothing more.
        discarding = true;
        drainUntil = received + BodyLimitHandler.DRAIN_LIMIT;
        responder.respond(ctx, origin, error(e), true);
    }

    private static RestResponse error(GhostRoomsException e) {
        return RestResponse.json(e.code().httpStatus(), RestHandler.error(e));
    }

    private static String clientIp(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "unknown";
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (decoder != null) {
            decoder.destroy();
            decoder = null;
        }
        super.channelInactive(ctx);
    }

}
