package io.ghostrooms.server.files;

import io.ghostrooms.persistence.attachments.AttachmentRow;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads no message has claimed yet, in memory, so send_message can check an attachment without
 * a query. Claiming removes the entry atomically: one upload, one message.
 */
public final class UploadRegistry {
    private final ConcurrentHashMap<String, AttachmentRow> unclaimed = new ConcurrentHashMap<>();

    public void register(AttachmentRow row) {
        unclaimed.put(row.id(), row);
    }

    /** The upload if it exists, is unclaimed and its url matches; null otherwise. */
    public AttachmentRow claim(String id, String url) {
        if (id == null || url == null) {
            return null;
        }
        AttachmentRow[] claimed = new AttachmentRow[1];
        unclaimed.computeIfPresent(id, (k, row) -> {
            if (row.url().equals(url)) {
                claimed[0] = row;
                return null;
            }
            return row;
        });
        return claimed[0];
    }

    /** Gives a claim back, e.g. when its message could not be stored. */
    public void release(AttachmentRow row) {
        unclaimed.putIfAbsent(row.id(), row);
    }

    public void forget(String id) {
        unclaimed.remove(id);
    }

    public int size() {
        return unclaimed.size();
    }
}
