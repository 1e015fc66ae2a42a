/**
 * The media engine of calls (internal): RTP/RTCP, SRTP, codecs, jitter buffer, DTMF. The classes
 * {@code MediaEngine}, {@code MediaEngineOptions}, {@code MediaSession}, {@code NegotiatedMedia},
 * {@code AudioCodecSpec}, {@code MediaDirection}, {@code MediaStats} and {@code MediaSessionListener} are
 * the contract with the signalling; the engine itself is in the sub-packages ({@code engine}: threads and
 * sessions; {@code srtp}, {@code rtp}, {@code codec}, {@code jitter}, {@code dtmf}).
 */
package org.m800.sdk.call.internal.media;
