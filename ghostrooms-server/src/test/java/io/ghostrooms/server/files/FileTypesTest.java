package io.ghostrooms.server.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FileTypesTest {
    static boolean matches(String ext, byte[] head) {
        return FileTypes.contentMatches(ext, head, head.length);
    }

    @Test
    void extensionIsLowerCased() {
        assertEquals("png", FileTypes.extension("A.PNG"));
        assertNull(FileTypes.extension("noext"));
    }

    @Test
    void onlyTheContractsTypesAreAllowed() {
        assertEquals("image/webp", FileTypes.mimeType("webp"));
        assertNull(FileTypes.mimeType("exe"));
        assertNull(FileTypes.mimeType("svg"));
        assertNull(FileTypes.mimeType("html"));
    }

    @Test
    void pngNeedsThePngSignature() {
        assertTrue(matches("png", UploadApiTest.PNG));
        assertFalse(matches("png", "GIF89a".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void textMustNotBeBinaryOrAnExecutable() {
        assertTrue(matches("txt", "hello".getBytes(StandardCharsets.UTF_8)));
        assertFalse(matches("txt", new byte[]{'M', 'Z', (byte) 0x90, 0}));
        assertFalse(matches("txt", new byte[]{'a', 0, 'b'}));
    }

    @Test
    void zipAndDocxShareTheZipSignature() {
        byte[] zip = {'P', 'K', 3, 4, 20, 0};
        assertTrue(matches("zip", zip));
        assertTrue(matches("docx", zip));
        assertFalse(matches("pdf", zip));
    }
}
