package org.m800.sdk.call.internal.sdp;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.m800.sdk.call.internal.media.AudioCodecSpec;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/**
 * Reads an SDP (RFC 4566) with one audio stream. Static payload types without an rtpmap get their RFC 3551
 * names (0 PCMU, 8 PCMA). Every failure is an {@link ErrorCode#PROTOCOL} error that names the line.
 */
public final class SdpParser {
    private static final int MAX_CHARS = 8_000;

    private SdpParser() {
    }

    /**
     * @throws M800Exception PROTOCOL: what is wrong, with the line
     */
    public static SessionDescription parse(String text) {
        if (text == null || text.isEmpty()) {
            throw bad("the SDP is empty");
        }
        if (text.length() > MAX_CHARS) {
            throw bad("the SDP is longer than " + MAX_CHARS + " characters");
        }
        String[] lines = text.split("\r?\n");
        String sessionId = null;
        long version = 0;
        String sessionAddress = null;
        String mediaAddress = null;
        int port = -1;
        String profile = null;
        List<Integer> payloadTypes = new ArrayList<>();
        Map<Integer, AudioCodecSpec> rtpmap = new HashMap<>();
        Map<Integer, String> fmtp = new HashMap<>();
        boolean rtcpMux = false;
        int ptime = 0;
        SessionDescription.Crypto crypto = null;
        MediaDirection direction = MediaDirection.SENDRECV;
        boolean inMedia = false;
        boolean first = true;
        for (String line : lines) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw bad("not a <letter>=<value> line: " + shorten(line));
            }
            String value = line.substring(2);
            if (first) {
                if (!line.equals("v=0")) {
                    throw bad("an SDP starts with v=0, not " + shorten(line));
                }
                first = false;
                continue;
            }
            switch (line.charAt(0)) {
                case 'o' -> {
                    String[] o = value.split(" ");
                    if (o.length != 6) {
                        throw bad("the origin needs 6 fields: " + shorten(line));
                    }
                    sessionId = o[1];
                    version = number(o[2], line);
                }
                case 'c' -> {
                    String[] c = value.split(" ");
                    if (c.length != 3 || !c[0].equals("IN") || !(c[1].equals("IP4") || c[1].equals("IP6"))) {
                        throw bad("the connection must be IN IP4 <address>: " + shorten(line));
                    }
                    if (inMedia) {
                        mediaAddress = c[2];
                    } else {
                        sessionAddress = c[2];
                    }
                }
                case 'm' -> {
                    if (inMedia) {
                        throw bad("only one media stream is supported: " + shorten(line));
                    }
                    String[] m = value.split(" ");
                    if (m.length < 4 || !m[0].equals("audio")) {
                        throw bad("the media line must be m=audio <port> <profile> <payload types>: " + shorten(line));
                    }
                    port = (int) number(m[1], line);
                    if (port < 0 || port > 65_535) {
                        throw bad("port out of range: " + shorten(line));
                    }
                    profile = m[2];
                    for (int i = 3; i < m.length; i++) {
                        int pt = (int) number(m[i], line);
                        if (pt > 127) {
                            throw bad("payload type out of range: " + shorten(line));
                        }
                        payloadTypes.add(pt);
                    }
                    inMedia = true;
                }
                case 'a' -> {
                    if (!inMedia) {
                        direction = direction(value, direction);
                        continue;
                    }
                    if (value.startsWith("rtpmap:")) {
                        AudioCodecSpec spec = rtpmap(value.substring(7), line);
                        rtpmap.put(spec.payloadType(), spec);
                    } else if (value.startsWith("fmtp:")) {
                        int space = value.indexOf(' ');
                        if (space < 0) {
                            throw bad("fmtp needs parameters: " + shorten(line));
                        }
                        fmtp.put((int) number(value.substring(5, space), line), value.substring(space + 1));
                    } else if (value.startsWith("ptime:")) {
                        long p = number(value.substring(6).strip(), line);
                        if (p < 1 || p > 1000) {
                            throw bad("ptime out of range (1-1000 ms): " + shorten(line));
                        }
                        ptime = (int) p;
                    } else if (value.equals("rtcp-mux")) {
                        rtcpMux = true;
                    } else if (value.startsWith("crypto:")) {
                        if (crypto == null) {
                            crypto = crypto(value.substring(7), line);
                        }
                    } else {
                        direction = direction(value, direction);
                    }
                }
                default -> {
                    // v, s, t, b, i, u, e, p, z, k, r: nothing calls need
                }
            }
        }
        if (first) {
            throw bad("the SDP is empty");
        }
        if (sessionId == null) {
            throw bad("the o= line is missing");
        }
        if (!inMedia) {
            throw bad("there is no m=audio line");
        }
        String address = mediaAddress != null ? mediaAddress : sessionAddress;
        if (address == null) {
            throw bad("there is no c= line");
        }
        Map<Integer, AudioCodecSpec> ordered = new LinkedHashMap<>();
        for (int pt : payloadTypes) {
            AudioCodecSpec spec = rtpmap.get(pt);
            if (spec == null) {
                spec = switch (pt) {
                    case 0 -> new AudioCodecSpec("PCMU", 0, 8000, 1);
                    case 8 -> new AudioCodecSpec("PCMA", 8, 8000, 1);
                    default -> null;
                };
            }
            if (spec != null) {
                ordered.put(pt, spec);
            }
        }
        return new SessionDescription(sessionId, version, address, port, profile, new ArrayList<>(ordered.values()),
                fmtp, rtcpMux, crypto, direction, ptime);
    }

    private static MediaDirection direction(String value, MediaDirection current) {
        return switch (value) {
            case "sendrecv" -> MediaDirection.SENDRECV;
            case "sendonly" -> MediaDirection.SENDONLY;
            case "recvonly" -> MediaDirection.RECVONLY;
            case "inactive" -> MediaDirection.INACTIVE;
            default -> current;
        };
    }

    private static AudioCodecSpec rtpmap(String value, String line) {
        int space = value.indexOf(' ');
        if (space < 0) {
            throw bad("rtpmap must be <pt> <name>/<rate>: " + shorten(line));
        }
        int pt = (int) number(value.substring(0, space), line);
        String[] enc = value.substring(space + 1).split("/");
        if (enc.length < 2 || enc[0].isEmpty()) {
            throw bad("rtpmap must be <pt> <name>/<rate>: " + shorten(line));
        }
        int rate = (int) number(enc[1], line);
        int channels = enc.length > 2 ? (int) number(enc[2], line) : 1;
        String name = enc[0];
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("pcmu") || lower.equals("pcma")) {
            name = name.toUpperCase(Locale.ROOT);
        } else if (lower.equals("opus") || lower.equals("telephone-event")) {
            name = lower;
        }
        return new AudioCodecSpec(name, pt, rate, channels);
    }

    private static SessionDescription.Crypto crypto(String value, String line) {
        String[] c = value.split(" ");
        if (c.length < 3 || !c[2].startsWith("inline:")) {
            throw bad("crypto must be <tag> <suite> inline:<key>: " + shorten(line));
        }
        String inline = c[2].substring(7);
        int bar = inline.indexOf('|');
        if (bar >= 0) {
            inline = inline.substring(0, bar);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(inline);
        } catch (IllegalArgumentException e) {
            throw bad("the crypto key is not base64: " + shorten(line));
        }
        return new SessionDescription.Crypto((int) number(c[0], line), c[1], key);
    }

    private static long number(String s, String line) {
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw bad("a negative number in: " + shorten(line));
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad("'" + shorten(s) + "' is not a number in: " + shorten(line));
        }
    }

    private static M800Exception bad(String message) {
        return new M800Exception(ErrorCode.PROTOCOL, "malformed SDP: " + message);
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
