/**
 * The media engine of calls (internal): RTP/RTCP, SRTP, codecs, jitter buffer, DTMF. The classes
 * {@code MediaSession}, {@code NegotiatedMedia}, {@code AudioCodecSpec}, {@code MediaDirection},
 * {@code MediaStats} and {@code MediaSessionListener} are the contract with the signalling.
 */
package org.m800.sdk.call.internal.media;
