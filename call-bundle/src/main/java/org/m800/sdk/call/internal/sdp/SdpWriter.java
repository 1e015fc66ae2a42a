package org.m800.sdk.call.internal.sdp;

import java.util.Base64;

import org.m800.sdk.call.internal.media.AudioCodecSpec;

/** Writes a {@link SessionDescription} as SDP text (RFC 4566), CRLF line ends, as docs/protocol.md 13.4 shows. */
public final class SdpWriter {
    private SdpWriter() {
    }

    public static String write(SessionDescription d) {
        StringBuilder s = new StringBuilder(512);
        String ip = d.address().contains(":") ? "IP6" : "IP4";
        line(s, "v=0");
        line(s, "o=- " + d.sessionId() + " " + d.version() + " IN " + ip + " " + d.address());
        line(s, "s=-");
        line(s, "c=IN " + ip + " " + d.address());
        line(s, "t=0 0");
        StringBuilder m = new StringBuilder("m=audio ").append(d.port()).append(' ').append(d.profile());
        for (AudioCodecSpec c : d.codecs()) {
            m.append(' ').append(c.payloadType());
        }
        line(s, m.toString());
        for (AudioCodecSpec c : d.codecs()) {
            line(s, "a=rtpmap:" + c.payloadType() + " " + c.name() + "/" + c.clockRate()
                    + (c.channels() > 1 ? "/" + c.channels() : ""));
            String fmtp = d.fmtp().get(c.payloadType());
            if (fmtp != null) {
                line(s, "a=fmtp:" + c.payloadType() + " " + fmtp);
            }
        }
        line(s, "a=ptime:" + (d.ptime() > 0 ? d.ptime() : SessionDescription.PTIME));
        if (d.rtcpMux()) {
            line(s, "a=rtcp-mux");
        }
        if (d.crypto() != null) {
            line(s, "a=crypto:" + d.crypto().tag() + " " + d.crypto().suite() + " inline:"
                    + Base64.getEncoder().encodeToString(d.crypto().key()));
        }
        line(s, "a=" + d.direction().name().toLowerCase(java.util.Locale.ROOT));
        return s.toString();
    }

    private static void line(StringBuilder s, String line) {
        s.append(line).append("\r\n");
    }
}
