package org.m800.server.internal.chat;

import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.Test;
import org.m800.server.internal.wire.Json;

/**
 * Issue 17 item 4: a {@code group.updated} carries what changed, not the whole member list, so 200
 * renames of a 256-member group store about 200 x 256 small events instead of 200 x 256 member lists.
 */
public class GroupUpdateSizeTest {

    @Test
    public void renamingABigGroupStoresSmallEvents() throws Exception {
        try (ChatRig rig = new ChatRig(1_000)) {
            List<String> users = rig.users("u", 256);
            ObjectNode create = Json.object().put("title", "big");
            users.subList(1, 256).forEach(create.putArray("members")::add);
            String conv = rig.groups.createGroup(users.get(0), create).path("id").asText();
            long eventsBefore = rig.scalar("SELECT COALESCE(SUM(LENGTH(event_data)), 0) FROM events");
            long filesBefore = rig.fileBytes();
            for (int i = 0; i < 200; i++) {
                rig.groups.rename(users.get(0), Json.object().put("conversationId", conv).put("title", "title " + i));
            }
            long renameEvents = rig.scalar("SELECT COUNT(*) FROM events WHERE event_type = 'group.updated'") - 256;
            long renameBytes = rig.scalar("SELECT COALESCE(SUM(LENGTH(event_data)), 0) FROM events") - eventsBefore;
            long fileGrowth = rig.fileBytes() - filesBefore;
            System.out.printf("200 renames of a 256-member group: %d events, %d bytes of event data "
                    + "(%d per event), database files grew by %d bytes%n", renameEvents, renameBytes,
                    renameBytes / Math.max(1, renameEvents), fileGrowth);
            assertTrue("every member is told every rename: " + renameEvents, renameEvents == 200 * 256);
            // a member list of 256 is over 20 KB; a delta names the title and who renamed it
            assertTrue("a rename event is small: " + renameBytes / renameEvents + " bytes",
                    renameBytes / renameEvents < 400);
        }
    }
}
