package org.m800.server.internal.chat;

import java.sql.SQLException;
import java.util.List;
import org.m800.server.internal.db.DbSession;

/**
 * Told which files a message refers to ({@code fileId} and {@code thumbnailFileId} of media content),
 * inside the transaction that stores the message, so that a stored message always has its
 * references (the files feature grants the conversation's members access from them).
 */
@FunctionalInterface
public interface FileReferences {
    /** Records nothing (a server without files). */
    FileReferences NONE = (session, conversationId, seq, senderId, fileIds) -> {
    };

    /**
     * @param session the message's transaction; a failure rolls the message back
     * @param fileIds one or two ids, as the sender wrote them (they may name no file)
     */
    void referenced(DbSession session, String conversationId, long seq, String senderId, List<String> fileIds)
            throws SQLException;
}
