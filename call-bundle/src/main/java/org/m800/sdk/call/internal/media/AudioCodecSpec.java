package org.m800.sdk.call.internal.media;

/**
 * One codec as the SDP names it ({@code a=rtpmap:<payloadType> <name>/<clockRate>[/<channels>]}).
 * Contract between the signalling (which builds and parses SDP) and the media engine.
 *
 * @param name        the encoding name as in the rtpmap, e.g. {@code opus}, {@code PCMU}, {@code PCMA},
 *                    {@code telephone-event}
 * @param payloadType the RTP payload type, 0..127
 * @param clockRate   the RTP clock rate (Opus: 48000; G.711: 8000)
 * @param channels    channels as in the rtpmap (Opus: 2 on the wire, mono audio; G.711: 1)
 */
public record AudioCodecSpec(String name, int payloadType, int clockRate, int channels) {
}
