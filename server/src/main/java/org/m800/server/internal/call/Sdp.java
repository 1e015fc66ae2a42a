package org.m800.server.internal.call;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.m800.server.internal.wire.WireException;

/**
 * The little of an SDP (RFC 4566) the relay needs: checks that an offer or answer is well formed and
 * has one audio stream, reads where that stream receives, and writes a copy that points at a relay
 * port instead. Codecs, keys and attributes other than {@code a=rtcp} pass through untouched: the
 * endpoints negotiate them (RFC 3264), the server only relays the packets.
 */
final class Sdp {
    static final int MAX_CHARS = 8_000;
    private static final Pattern LINE = Pattern.compile("[a-z]=.*");
    private static final Pattern MEDIA = Pattern.compile("m=audio (\\d{1,5}) (RTP/AVP|RTP/SAVP|RTP/AVPF|RTP/SAVPF)"
            + "((?: \\d{1,3})+)");
    private static final Pattern CONNECTION = Pattern.compile("c=IN IP[46] ([0-9A-Za-z.:_-]{1,64})");

    private final List<String> lines;
    private final int mediaLine;
    private final InetSocketAddress receivesAt;

    private Sdp(List<String> lines, int mediaLine, InetSocketAddress receivesAt) {
        this.lines = lines;
        this.mediaLine = mediaLine;
        this.receivesAt = receivesAt;
    }

    /**
     * @throws WireException INVALID_ARGUMENT/BAD_SDP naming what is wrong
     */
    static Sdp parse(String text, String field) throws WireException {
        if (text.length() > MAX_CHARS) {
            throw bad(field, "the SDP is longer than " + MAX_CHARS + " characters");
        }
        String[] raw = text.split("\r?\n");
        List<String> lines = new ArrayList<>(raw.length);
        for (String l : raw) {
            if (l.isEmpty()) {
                continue;
            }
            if (!LINE.matcher(l).matches()) {
                throw bad(field, "line " + (lines.size() + 1) + " is not <letter>=<value>: " + shorten(l));
            }
            lines.add(l);
        }
        if (lines.isEmpty() || !lines.get(0).equals("v=0")) {
            throw bad(field, "an SDP starts with v=0");
        }
        if (lines.stream().noneMatch(l -> l.startsWith("o="))) {
            throw bad(field, "the o= line is missing");
        }
        int media = -1;
        int port = -1;
        String sessionHost = null;
        String mediaHost = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("m=")) {
                if (media >= 0) {
                    throw bad(field, "only one media stream (audio) is supported");
                }
                Matcher m = MEDIA.matcher(l);
                if (!m.matches()) {
                    throw bad(field, "the media line must be m=audio <port> RTP/SAVP <payload types>: " + shorten(l));
                }
                port = Integer.parseInt(m.group(1));
                if (port > 65_535) {
                    throw bad(field, "port " + port + " is out of range");
                }
                media = i;
            } else if (l.startsWith("c=")) {
                Matcher m = CONNECTION.matcher(l);
                if (!m.matches()) {
                    throw bad(field, "the connection line must be c=IN IP4 <address>: " + shorten(l));
                }
                if (media < 0) {
                    sessionHost = m.group(1);
                } else {
                    mediaHost = m.group(1);
                }
            }
        }
        if (media < 0) {
            throw bad(field, "there is no m=audio line");
        }
        String host = mediaHost != null ? mediaHost : sessionHost;
        if (host == null) {
            throw bad(field, "there is no c= line (where the audio is received)");
        }
        return new Sdp(lines, media, InetSocketAddress.createUnresolved(host, port));
    }

    private static WireException bad(String field, String message) {
        return WireException.invalid(field, "BAD_SDP", field + ": " + message);
    }

    private static String shorten(String line) {
        return line.length() > 80 ? line.substring(0, 80) + "..." : line;
    }

    /** @return where the endpoint that wrote this SDP receives its audio (unresolved) */
    InetSocketAddress receivesAt() {
        return receivesAt;
    }

    /** @return whether the stream is on hold in both directions or sends only (no audio expected back) */
    boolean inactive() {
        return lines.stream().anyMatch(l -> l.equals("a=inactive"));
    }

    /**
     * @return a copy whose connection lines name {@code host} and whose audio stream is on {@code port}
     *         (an {@code a=rtcp} line is dropped: RTCP shares the port, rtcp-mux)
     */
    String pointedAt(String host, int port) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("c=")) {
                l = "c=IN IP4 " + host;
            } else if (i == mediaLine) {
                Matcher m = MEDIA.matcher(l);
                m.matches();
                l = "m=audio " + port + " " + m.group(2) + m.group(3);
            } else if (l.startsWith("a=rtcp:")) {
                continue;
            } else if (l.startsWith("o=")) {
                l = origin(l, host);
            }
            out.append(l).append("\r\n");
        }
        return out.toString();
    }

    /** The origin's address names the relay too, so that no endpoint address leaks to the peer. */
    private static String origin(String line, String host) {
        String[] parts = line.split(" ");
        if (parts.length == 6) {
            parts[5] = host;
            return String.join(" ", parts);
        }
        return line;
    }
}
