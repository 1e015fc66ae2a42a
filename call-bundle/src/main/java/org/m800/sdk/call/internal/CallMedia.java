package org.m800.sdk.call.internal;

import java.util.concurrent.CompletableFuture;

import org.m800.sdk.call.CallOptions;
import org.m800.sdk.call.CallState;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.sdp.OfferAnswer;
import org.m800.sdk.call.internal.sdp.SdpWriter;
import org.m800.sdk.call.internal.sdp.SessionDescription;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call's leg of media and its offers and answers (RFC 3264): the media session, what this side offers, the
 * last offer it sent (to read its answer), the SDP version, what was agreed, and the re-offers of hold and
 * resume (this side's, under way, and whether the peer holds). {@link CallImpl} decides when (its state
 * machine); this class knows how. Not thread-safe: guarded by the call's monitor, and nothing
 * here waits for the network.
 */
final class CallMedia {

    private static final Logger LOG = LoggerFactory.getLogger(CallMedia.class);

    private final String callId;
    private MediaSession session;
    private OfferAnswer.Local local;
    private CallOptions options = CallOptions.DEFAULTS;
    /** the last offer this side sent (outgoing call, or a re-offer), for reading its answer */
    private SessionDescription lastOffer;
    private long sdpVersion = 1;
    private boolean started;
    /** what the offer/answer agreed (for an incoming call: before the server confirmed the answer) */
    private NegotiatedMedia agreed;
    /** this side's hold or resume under way, completed by the peer's answer */
    private CompletableFuture<Void> reoffer;
    private MediaDirection reofferDirection;
    private boolean remoteHold;

    CallMedia(String callId) {
        this.callId = callId;
    }

    /** An outgoing call: its open leg and its first offer. */
    void offer(MediaSession leg, OfferAnswer.Local me, CallOptions callOptions) {
        session = leg;
        local = me;
        options = callOptions;
        lastOffer = OfferAnswer.offer(local, sdpVersion, MediaDirection.SENDRECV);
    }

    /** @return the last offer, as SDP text */
    String offerText() {
        return SdpWriter.write(lastOffer);
    }

    /**
     * An incoming call: answers its offer with this leg (the media starts once the server confirms).
     *
     * @throws org.m800.sdk.core.M800Exception if the offer cannot be answered (no common codec, no key)
     */
    OfferAnswer.Answer answer(SessionDescription offer, MediaSession leg, OfferAnswer.Local me,
            CallOptions callOptions) {
        OfferAnswer.Answer answer = OfferAnswer.answer(offer, me, 1, MediaDirection.SENDRECV);
        session = leg;
        local = me;
        options = callOptions;
        agreed = answer.media();
        return answer;
    }

    /**
     * What this side's offer and the peer's answer agree.
     *
     * @throws org.m800.sdk.core.M800Exception if the answer does not fit the offer
     */
    NegotiatedMedia accept(SessionDescription answer) {
        return OfferAnswer.accept(lastOffer, answer);
    }

    /** @return what was agreed and not started yet (an answered incoming call) */
    NegotiatedMedia agreed() {
        return agreed;
    }

    /**
     * Starts the audio with the call's source and sink (the manager's defaults when the options name none).
     *
     * @throws IllegalArgumentException if the engine refuses what was agreed
     * @throws IllegalStateException    if the leg is closed
     */
    void start(NegotiatedMedia media, AudioSource defaultSource, AudioSink defaultSink, boolean muted) {
        AudioSource source = options.source() != null ? options.source() : defaultSource;
        AudioSink sink = options.sink() != null ? options.sink() : defaultSink;
        agreed = media;
        if (!media.encrypted()) {
            LOG.warn("Call {}: the audio is plain RTP, not encrypted (the application allowed it)", callId);
        }
        session.start(media, source, sink);
        session.setMuted(muted);
        started = true;
    }

    /** @return whether the audio was started */
    boolean started() {
        return started;
    }

    /** @return the agreed codec's name, or {@code null} before an agreement */
    String codecName() {
        return agreed == null ? null : agreed.codec().name();
    }

    /** Mutes or unmutes the sending side, if the audio runs. */
    void setMuted(boolean mute) {
        if (session != null && started) {
            session.setMuted(mute);
        }
    }

    /**
     * Queues DTMF keys for the send clock (nothing waits).
     *
     * @throws IllegalArgumentException if telephone-events were not agreed, or a key is not one
     */
    void sendDtmf(String digits) {
        for (char c : digits.toCharArray()) {
            session.sendDtmf(c);
        }
    }

    /**
     * Starts this side's hold ({@code SENDONLY}; {@code INACTIVE} when the peer holds too) or resume.
     *
     * @param done completed when the peer's answer is applied
     * @return the re-offer to send
     * @throws M800Exception ILLEGAL_STATE if a hold or resume is under way
     */
    SessionDescription reoffer(MediaDirection wish, CompletableFuture<Void> done) {
        if (reoffer != null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "a hold or resume of call " + callId + " is under way");
        }
        reoffer = done;
        reofferDirection = wish;
        lastOffer = OfferAnswer.offer(local, ++sdpVersion,
                remoteHold && wish == MediaDirection.SENDONLY ? MediaDirection.INACTIVE : wish);
        return lastOffer;
    }

    /** The re-offer could not be sent: another may start. */
    void reofferFailed(CompletableFuture<Void> done) {
        if (reoffer == done) {
            reoffer = null;
        }
    }

    /** @return the hold or resume under way, now no longer pending (the caller completes it), or {@code null} */
    CompletableFuture<Void> takeReoffer() {
        CompletableFuture<Void> done = reoffer;
        reoffer = null;
        return done;
    }

    /**
     * Applies the answer to this side's re-offer (the caller took it with {@link #takeReoffer()}).
     *
     * @param muted whether the user muted: on hold this side sends silence too (no music on hold, but the
     *              stream, and so the relay's and the peer's view that the call is alive, goes on)
     * @return the state the call is in now: {@code HELD} or {@code ACTIVE}
     * @throws M800Exception if the answer does not fit, or the engine refuses it
     */
    CallState acceptReanswer(SessionDescription answer, boolean muted) {
        NegotiatedMedia media = accept(answer);
        try {
            session.update(media);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new M800Exception(ErrorCode.PROTOCOL, "the engine refused the re-answer: " + e.getMessage(), e);
        }
        boolean resumed = reofferDirection == MediaDirection.SENDRECV;
        session.setMuted(muted || !resumed);
        return resumed ? CallState.ACTIVE : CallState.HELD;
    }

    /**
     * Answers the peer's re-offer and applies it to the running audio.
     *
     * @param held whether this side holds the call
     * @return the answer
     * @throws M800Exception            if the re-offer cannot be answered
     * @throws IllegalArgumentException if the engine refuses it
     */
    OfferAnswer.Answer answerReoffer(SessionDescription offer, boolean held) {
        OfferAnswer.Answer answer = OfferAnswer.answer(offer, local, ++sdpVersion,
                held ? MediaDirection.SENDONLY : MediaDirection.SENDRECV);
        session.update(answer.media());
        // sendonly or inactive: the other side no longer listens to this one
        remoteHold = !offer.direction().receives();
        return answer;
    }

    /** @return whether the peer holds the call (its last offer was {@code sendonly} or {@code inactive}) */
    boolean remoteHold() {
        return remoteHold;
    }

    /** Closes a leg {@link #detach() detached} from its call (outside the call's monitor: it sends a last RTCP BYE). */
    static void close(MediaSession leg) {
        if (leg != null) {
            leg.setListener(null);
            leg.close();
        }
    }

    /** @return the leg, now no longer this call's (the caller closes it outside the monitor), or {@code null} */
    MediaSession detach() {
        MediaSession leg = session;
        session = null;
        return leg;
    }
}
