package org.m800.sdk.call.internal.media.dtmf;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** RFC 4733 events: what the sender makes and what the receiver makes of it, with losses and reordering. */
public class DtmfTest {

    @Test
    public void aKeyIsFivePacketsAndThreeEndsWithOneTimestamp() {
        DtmfSender sender = new DtmfSender();
        sender.add(TelephoneEvent.code('#'));
        DtmfReceiver receiver = new DtmfReceiver();
        StringBuilder keys = new StringBuilder();
        long ts = 1000;
        int packets = 0;
        DtmfSender.Packet packet;
        while ((packet = sender.next(ts, 160)) != null) {
            packets++;
            assertEquals(1000, packet.timestamp());
            assertEquals(packets == 1, packet.marker());
            keys.append(receiver.packet(packet.timestamp(), packet.payload(), 0, packet.payload().length));
            ts += 160;
        }
        assertEquals(8, packets);
        assertEquals("#", keys.toString());
        assertEquals(11, TelephoneEvent.code('#'));
        assertEquals(-1, TelephoneEvent.code('x'));
    }

    @Test
    public void lostEndPacketsAndLatePacketsGiveEachKeyOnce() {
        DtmfReceiver receiver = new DtmfReceiver();
        byte[] one = new byte[4];
        TelephoneEvent.write(one, 0, 1, false, 10, 160);
        byte[] five = new byte[4];
        TelephoneEvent.write(five, 0, 5, false, 10, 160);
        byte[] fiveEnd = new byte[4];
        TelephoneEvent.write(fiveEnd, 0, 5, true, 10, 800);
        StringBuilder keys = new StringBuilder();
        keys.append(receiver.packet(100, one, 0, 4));    // '1' starts; its end packets are all lost
        keys.append(receiver.packet(2000, five, 0, 4));  // '5' starts: '1' is over
        keys.append(receiver.packet(100, one, 0, 4));    // a late packet of '1'
        keys.append(receiver.packet(2000, fiveEnd, 0, 4));
        keys.append(receiver.packet(2000, fiveEnd, 0, 4)); // the end, repeated
        assertEquals("15", keys.toString());
    }
}
