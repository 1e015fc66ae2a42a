package org.m800.sdk.call.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.m800.sdk.call.Call;
import org.m800.sdk.call.CallDirection;
import org.m800.sdk.call.CallEndReason;
import org.m800.sdk.call.CallOptions;
import org.m800.sdk.call.CallState;
import org.m800.sdk.call.CallStatistics;
import org.m800.sdk.call.internal.media.MediaDirection;
import org.m800.sdk.call.internal.media.MediaSession;
import org.m800.sdk.call.internal.media.MediaSessionListener;
import org.m800.sdk.call.internal.media.MediaStats;
import org.m800.sdk.call.internal.media.NegotiatedMedia;
import org.m800.sdk.call.internal.sdp.OfferAnswer;
import org.m800.sdk.call.internal.sdp.SdpParser;
import org.m800.sdk.call.internal.sdp.SdpWriter;
import org.m800.sdk.call.internal.sdp.SessionDescription;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of this device: the API the application holds, its state machine ({@link CallState}: which
 * operation and which server event moves it where) and its messages to the server. Its leg of media and its
 * offers and answers are in {@link CallMedia}, its statistics and quality warnings in {@link CallQuality}.
 * State (this object's and its {@code CallMedia}'s) is guarded by the object's monitor; listeners are told
 * through the manager's ordered listener list, never while it is held; nothing under it waits for the network.
 */
final class CallImpl implements Call, MediaSessionListener {
    private static final Logger LOG = LoggerFactory.getLogger(CallImpl.class);

    private final CallManagerImpl manager;
    private final String id;
    private final String peer;
    private final CallDirection direction;
    private final Instant startedAt;
    private final boolean waiting;
    /** the offer of an incoming call as received (null for outgoing calls) */
    private final String incomingOffer;

    // guarded by this
    private CallState state;
    private CallEndReason endReason;
    private Instant answeredAt;
    private final CallMedia media;
    private boolean muted;
    private final CallQuality quality;

    private CallImpl(CallManagerImpl manager, String id, String peer, CallDirection direction, Instant startedAt,
            boolean waiting, String incomingOffer, CallState state) {
        this.manager = manager;
        this.id = id;
        this.peer = peer;
        this.direction = direction;
        this.startedAt = startedAt;
        this.waiting = waiting;
        this.incomingOffer = incomingOffer;
        this.state = state;
        this.media = new CallMedia(id);
        this.quality = new CallQuality(this, manager.listeners());
    }

    /** An outgoing call whose leg is open and whose offer is made; the invite is not sent yet. */
    static CallImpl outgoing(CallManagerImpl manager, String id, String peer, MediaSession session,
            OfferAnswer.Local local, CallOptions options) {
        CallImpl call = new CallImpl(manager, id, peer, CallDirection.OUTGOING, Instant.now(), false, null,
                CallState.DIALING);
        synchronized (call) {
            call.media.offer(session, local, options);
        }
        session.setListener(call);
        return call;
    }

    static CallImpl incoming(CallManagerImpl manager, String id, String peer, String offer, boolean waiting,
            Instant createdAt) {
        return new CallImpl(manager, id, peer, CallDirection.INCOMING, createdAt, waiting, offer, CallState.INCOMING);
    }

    synchronized String offerText() {
        return media.offerText();
    }

    // ------------------------------------------------------------------------------- the API

    @Override
    public String id() {
        return id;
    }

    @Override
    public String peerUserId() {
        return peer;
    }

    @Override
    public CallDirection direction() {
        return direction;
    }

    @Override
    public synchronized CallState state() {
        return state;
    }

    @Override
    public synchronized CallEndReason endReason() {
        return endReason;
    }

    @Override
    public boolean isWaiting() {
        return waiting;
    }

    @Override
    public synchronized boolean isRemoteHold() {
        return media.remoteHold();
    }

    @Override
    public synchronized boolean isMuted() {
        return muted;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public synchronized Instant answeredAt() {
        return answeredAt;
    }

    @Override
    public CallStatistics statistics() {
        return quality.statistics();
    }

    @Override
    public CompletableFuture<Void> answer() {
        return answer(CallOptions.DEFAULTS);
    }

    @Override
    public CompletableFuture<Void> answer(CallOptions answerOptions) {
        return manager.tryStart(() -> {
            CallOptions opts = answerOptions == null ? CallOptions.DEFAULTS : answerOptions;
            synchronized (this) {
                require(CallState.INCOMING);
                move(CallState.ANSWERING);
            }
            OfferAnswer.Answer answer;
            MediaSession leg;
            try {
                leg = manager.openLeg();
            } catch (IOException e) {
                manager.send("call.reject", payload("reason", "BUSY"));
                end(CallEndReason.FAILED);
                throw new M800Exception(ErrorCode.NETWORK, "no UDP port for the call's audio: " + e.getMessage(), e);
            }
            try {
                // a malformed offer (PROTOCOL) or one without a common codec or key: the call cannot be made
                SessionDescription offer = SdpParser.parse(incomingOffer);
                OfferAnswer.Local me = manager.local(leg, opts);
                synchronized (this) {
                    // the peer may have cancelled (or the feature stopped) while the leg was opened: an
                    // ended call must not take the leg, which nothing would close then
                    answer = state == CallState.ANSWERING ? media.answer(offer, leg, me, opts) : null;
                }
            } catch (M800Exception e) {
                leg.close();
                manager.send("call.reject", payload("reason", "INCOMPATIBLE"));
                end(CallEndReason.INCOMPATIBLE_MEDIA);
                throw e;
            }
            if (answer == null) {
                leg.close();
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " ended (" + endReason()
                        + ") while it was being answered");
            }
            leg.setListener(this);
            Map<String, Object> data = payload("sdp", SdpWriter.write(answer.sdp()));
            return manager.ask("call.answer", data).handle((ok, failure) -> {
                if (failure == null) {
                    answered(Instant.now());
                    return null;
                }
                end(EndReasons.ofAnswerFailure(failure));
                throw Wire.unwrap(failure);
            });
        });
    }

    @Override
    public CompletableFuture<Void> reject() {
        return reject("DECLINED", CallEndReason.DECLINED);
    }

    @Override
    public CompletableFuture<Void> rejectBusy() {
        return reject("BUSY", CallEndReason.BUSY);
    }

    private CompletableFuture<Void> reject(String wire, CallEndReason reason) {
        return manager.tryStart(() -> {
            synchronized (this) {
                require(CallState.INCOMING);
            }
            end(reason);
            return manager.ask("call.reject", payload("reason", wire)).thenApply(ok -> null);
        });
    }

    @Override
    public CompletableFuture<Void> hangUp() {
        return manager.tryStart(() -> {
            if (!end(EndReasons::ofHangUp)) {
                return CompletableFuture.completedFuture(null);
            }
            return manager.ask("call.hangup", payload(null, null)).thenApply(ok -> null);
        });
    }

    @Override
    public CompletableFuture<Void> hold() {
        return reoffer(MediaDirection.SENDONLY, CallState.ACTIVE);
    }

    @Override
    public CompletableFuture<Void> resume() {
        return reoffer(MediaDirection.SENDRECV, CallState.HELD);
    }

    private CompletableFuture<Void> reoffer(MediaDirection wish, CallState from) {
        return manager.tryStart(() -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            SessionDescription offer;
            synchronized (this) {
                require(from);
                offer = media.reoffer(wish, done);
            }
            manager.ask("call.reoffer", payload("sdp", SdpWriter.write(offer))).whenComplete((ok, failure) -> {
                if (failure != null) {
                    synchronized (this) {
                        media.reofferFailed(done);
                    }
                    done.completeExceptionally(Wire.unwrap(failure));
                }
            });
            return done;
        });
    }

    @Override
    public void setMuted(boolean mute) {
        synchronized (this) {
            muted = mute;
            media.setMuted(mute || state == CallState.HELD);
        }
    }

    @Override
    public CompletableFuture<Void> sendDtmf(String digits) {
        return manager.tryStart(() -> {
            if (digits == null || digits.isEmpty() || !digits.matches("[0-9*#A-D]+")) {
                throw M800Exception.invalidArgument("DTMF digits must be 1 or more of 0-9 * # A-D, not '" + digits + "'");
            }
            synchronized (this) {
                require(media.started() ? CallState.ACTIVE : null);
                try {
                    // queued for the send clock: nothing here waits
                    media.sendDtmf(digits);
                } catch (IllegalArgumentException e) {
                    throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + ": " + e.getMessage(), e);
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    // ----------------------------------------------------------------------- server events

    void ringing() {
        synchronized (this) {
            if (state == CallState.DIALING) {
                move(CallState.RINGING);
            }
        }
    }

    /** {@code call.answered}: for the caller with the answer; for the callee with the device that answered. */
    void answeredEvent(Map<String, Object> data) {
        String device = Wire.text(data, "device");
        Instant at = Instant.ofEpochMilli(Wire.number(data, "answeredAt", System.currentTimeMillis()));
        if (direction == CallDirection.INCOMING) {
            if (manager.device().equals(device)) {
                answered(at);
            } else {
                end(CallEndReason.ANSWERED_ELSEWHERE);
            }
            return;
        }
        NegotiatedMedia agreed;
        try {
            SessionDescription answer = SdpParser.parse(Wire.requiredText(data, "sdp"));
            synchronized (this) {
                agreed = media.accept(answer);
            }
        } catch (M800Exception e) {
            LOG.warn("Call {}: the answer cannot be used ({}); hanging up", id, e.getMessage());
            endAndHangUp(CallEndReason.INCOMPATIBLE_MEDIA, null);
            return;
        }
        activate(at, agreed, CallState.DIALING, CallState.RINGING);
    }

    /** The callee's answer was confirmed (by the answer's response or its event, whichever comes first). */
    private void answered(Instant at) {
        activate(at, null, CallState.ANSWERING, CallState.ANSWERING);
    }

    /**
     * The answer is agreed and confirmed: the audio starts and the call is ACTIVE, if it is still in
     * {@code from} or {@code orFrom}; if the engine refuses what was agreed, the call cannot go on.
     *
     * @param agreed what was agreed, {@code null} for what the call's answer agreed
     */
    private void activate(Instant at, NegotiatedMedia agreed, CallState from, CallState orFrom) {
        RuntimeException refused = null;
        synchronized (this) {
            if (state != from && state != orFrom) {
                return;
            }
            answeredAt = at;
            try {
                media.start(agreed != null ? agreed : media.agreed(), manager.defaultSource(), manager.defaultSink(), muted);
                move(CallState.ACTIVE);
            } catch (IllegalArgumentException | IllegalStateException e) {
                refused = e;
            }
        }
        if (refused != null) {
            LOG.warn("Call {}: the media engine refused the agreed media ({}); hanging up", id, refused.getMessage());
            endAndHangUp(CallEndReason.INCOMPATIBLE_MEDIA, null);
        }
    }

    void reofferEvent(Map<String, Object> data) {
        OfferAnswer.Answer answer;
        boolean holdChanged;
        boolean nowHeld;
        synchronized (this) {
            if (state != CallState.ACTIVE && state != CallState.HELD || !media.started()) {
                return;
            }
            boolean wasHeld = media.remoteHold();
            try {
                answer = media.answerReoffer(SdpParser.parse(Wire.requiredText(data, "sdp")), state == CallState.HELD);
            } catch (M800Exception | IllegalArgumentException | IllegalStateException e) {
                LOG.warn("Call {}: a re-offer cannot be used: {}", id, e.getMessage());
                return;
            }
            nowHeld = media.remoteHold();
            holdChanged = nowHeld != wasHeld;
        }
        manager.send("call.reanswer", payload("sdp", SdpWriter.write(answer.sdp())));
        if (holdChanged) {
            manager.listeners().emit(l -> l.remoteHold(this, nowHeld));
        }
    }

    void reanswerEvent(Map<String, Object> data) {
        CompletableFuture<Void> done;
        synchronized (this) {
            if (state == CallState.ENDED || (done = media.takeReoffer()) == null) {
                return;
            }
            try {
                move(media.acceptReanswer(SdpParser.parse(Wire.requiredText(data, "sdp")), muted));
            } catch (M800Exception e) {
                done.completeExceptionally(e);
                return;
            }
        }
        done.complete(null);
    }

    void endedEvent(Map<String, Object> data) {
        String by = Wire.text(data, "by");
        String device = Wire.text(data, "device");
        boolean byMe = manager.userIdOrNull() != null && manager.userIdOrNull().equals(by);
        end(EndReasons.of(Wire.text(data, "reason"), direction, byMe, manager.device().equals(device)));
    }

    // ----------------------------------------------------------------------- media events

    @Override
    public void dtmfReceived(char digit) {
        manager.listeners().emit(l -> l.dtmfReceived(this, digit));
    }

    @Override
    public void mediaTimeout() {
        synchronized (this) {
            if (state == CallState.ENDED) {
                return;
            }
        }
        LOG.info("Call {}: no audio for the media timeout; ending it", id);
        endAndHangUp(CallEndReason.MEDIA_TIMEOUT, "MEDIA_TIMEOUT");
    }

    @Override
    public void statistics(MediaStats stats) {
        String codec;
        synchronized (this) {
            codec = media.codecName();
        }
        quality.update(codec, stats);
    }

    @Override
    public java.util.Set<org.m800.sdk.call.QualityMetric> qualityWarnings() {
        return quality.raised();
    }

    // ----------------------------------------------------------------------------- helpers

    /**
     * Ends the call on this device (idempotent): closes its leg, removes it from the manager, tells the
     * listeners and completes a pending hold or resume.
     */
    void end(CallEndReason reason) {
        end(was -> reason);
    }

    /**
     * Ends the call with the reason its state at that moment gives (a hang-up while ringing is a cancel,
     * once answered a hang-up): read and ended under the same monitor, so an answer arriving meanwhile
     * cannot make the reason wrong.
     *
     * @return false if the call had ended already
     */
    private boolean end(Function<CallState, CallEndReason> reasonFor) {
        MediaSession leg;
        CompletableFuture<Void> pending;
        CallEndReason reason;
        synchronized (this) {
            if (state == CallState.ENDED) {
                return false;
            }
            reason = reasonFor.apply(state);
            endReason = reason;
            move(CallState.ENDED);
            // under the monitor, with the state: a close that finds the call ended (and then clears the
            // listeners) must find its end already emitted, or the end is never heard
            CallEndReason heard = reason;
            manager.listeners().emit(l -> l.ended(this, heard));
            leg = media.detach();
            pending = media.takeReoffer();
        }
        CallMedia.close(leg);
        if (pending != null) {
            pending.completeExceptionally(new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " ended: " + reason));
        }
        manager.ended(this);
        return true;
    }

    /** Ends the call here and tells the server, without waiting for its response. */
    private void endAndHangUp(CallEndReason reason, String wireReason) {
        end(reason);
        manager.send("call.hangup", payload(wireReason == null ? null : "reason", wireReason));
    }

    /** Forgets a call that was never handed out (its invite failed): no listener hears of it. */
    void discard() {
        MediaSession leg;
        synchronized (this) {
            endReason = CallEndReason.FAILED;
            state = CallState.ENDED;
            leg = media.detach();
        }
        CallMedia.close(leg);
        manager.ended(this);
    }

    /**
     * Caller holds the monitor.
     *
     * @param expected the state the call must be in ({@code null}: none will do)
     * @throws M800Exception ILLEGAL_STATE if it is not
     */
    private void require(CallState expected) {
        if (state != expected || expected == null) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " is " + state + ", not "
                    + (expected == null ? CallState.ACTIVE : expected));
        }
    }

    /** Caller holds the monitor. */
    private void move(CallState to) {
        CallState from = state;
        if (from == to) {
            return;
        }
        state = to;
        manager.listeners().emit(l -> l.stateChanged(this, from, to));
    }

    private Map<String, Object> payload(String key, String value) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("callId", id);
        data.put("device", manager.device());
        if (key != null) {
            data.put(key, value);
        }
        return data;
    }

    @Override
    public String toString() {
        return "Call[" + id + " " + direction + " " + peer + " " + state() + "]";
    }
}
