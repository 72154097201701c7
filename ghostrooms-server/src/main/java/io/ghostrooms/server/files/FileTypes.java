package io.ghostrooms.server.files;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The allowed upload types (compat list plus webp), each checked by extension AND by the file's
 * leading bytes, so a renamed executable is refused.
 */
public final class FileTypes {
    public static final int SNIFF_BYTES = 512;

    private static final Map<String, String> MIME = Map.ofEntries(
            Map.entry("jpeg", "image/jpeg"), Map.entry("jpg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("pdf", "application/pdf"),
            Map.entry("doc", "application/msword"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("txt", "text/plain"), Map.entry("zip", "application/zip"),
            Map.entry("rar", "application/vnd.rar"), Map.entry("mp4", "video/mp4"),
            Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("wav", "audio/wav"));

    private FileTypes() {
    }

    /** The lower-case extension of a client file name, or null. */
    public static String extension(String fileName) {
        if (fileName == null) {
            return null;
        }
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return null;
        }
        return fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The MIME type for an allowed extension, or null when the extension is not allowed. */
    public static String mimeType(String extension) {
        return extension == null ? null : MIME.get(extension);
    }

    public static boolean isImage(String mimeType) {
        return mimeType != null && mimeType.startsWith("image/");
    }

    /** Whether the leading bytes are what the extension claims. */
    public static boolean contentMatches(String extension, byte[] head, int length) {
        byte[] h = Arrays.copyOf(head, Math.max(length, 0));
        return switch (extension) {
            case "png" -> starts(h, 0, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
            case "jpg", "jpeg" -> starts(h, 0, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
            case "gif" -> starts(h, 0, ascii("GIF87a")) || starts(h, 0, ascii("GIF89a"));
            case "webp" -> starts(h, 0, ascii("RIFF")) && starts(h, 8, ascii("WEBP"));
            case "pdf" -> starts(h, 0, ascii("%PDF-"));
            case "doc" -> starts(h, 0, new byte[]{(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1});
            case "docx", "zip" -> starts(h, 0, new byte[]{'P', 'K', 3, 4}) || starts(h, 0, new byte[]{'P', 'K', 5, 6});
            case "rar" -> starts(h, 0, ascii("Rar!\u001a\u0007"));
            case "mp4", "mov" -> starts(h, 4, ascii("ftyp")) || starts(h, 4, ascii("moov")) || starts(h, 4, ascii("mdat"))
                    || starts(h, 4, ascii("wide")) || starts(h, 4, ascii("free"));
            case "avi" -> starts(h, 0, ascii("RIFF")) && starts(h, 8, ascii("AVI "));
            case "wav" -> starts(h, 0, ascii("RIFF")) && starts(h, 8, ascii("WAVE"));
            case "mp3" -> starts(h, 0, ascii("ID3")) || h.length > 1 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0;
            case "txt" -> isText(h);
            default -> false;
        };
    }

    /** Plain text: no NUL bytes and no executable header. */
    private static boolean isText(byte[] h) {
        if (starts(h, 0, new byte[]{'M', 'Z'}) || starts(h, 0, new byte[]{0x7F, 'E', 'L', 'F'})) {
            return false;
        }
        for (byte b : h) {
            if (b == 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean starts(byte[] h, int offset, byte[] magic) {
        if (h.length < offset + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (h[offset + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
