package org.m800.sdk.call.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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
import org.m800.sdk.media.AudioSink;
import org.m800.sdk.media.AudioSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of this device: its state machine ({@link CallState}), its leg of media and its offers and
 * answers. State is guarded by the object's monitor; listeners are told through the manager's ordered
 * listener list, never while it is held; nothing under it waits for the network.
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
    private MediaSession session;
    private OfferAnswer.Local local;
    private CallOptions options = CallOptions.DEFAULTS;
    /** the last offer this side sent (outgoing call, or a re-offer), for reading its answer */
    private SessionDescription lastOffer;
    private long sdpVersion = 1;
    private boolean mediaStarted;
    private boolean muted;
    private boolean remoteHold;
    private CompletableFuture<Void> reoffer;
    private MediaDirection reofferDirection;
    /** what the offer/answer agreed (for an incoming call: before the server confirmed the answer) */
    private NegotiatedMedia pendingMedia;
    private volatile CallStatistics statistics = CallStatistics.NONE;
    private final QualityMonitor quality = new QualityMonitor();

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
    }

    /** An outgoing call whose leg is open and whose offer is made; the invite is not sent yet. */
    static CallImpl outgoing(CallManagerImpl manager, String id, String peer, MediaSession session,
            OfferAnswer.Local local, CallOptions options) {
        CallImpl call = new CallImpl(manager, id, peer, CallDirection.OUTGOING, Instant.now(), false, null,
                CallState.DIALING);
        synchronized (call) {
            call.session = session;
            call.local = local;
            call.options = options;
            call.lastOffer = OfferAnswer.offer(local, call.sdpVersion, MediaDirection.SENDRECV);
        }
        session.setListener(call);
        return call;
    }

    static CallImpl incoming(CallManagerImpl manager, String id, String peer, String offer, boolean waiting,
            Instant createdAt) {
        return new CallImpl(manager, id, peer, CallDirection.INCOMING, createdAt, waiting, offer, CallState.INCOMING);
    }

    synchronized String offerText() {
        return SdpWriter.write(lastOffer);
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
        return remoteHold;
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
        return statistics;
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
                if (state != CallState.INCOMING) {
                    throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " is " + state + ", not INCOMING");
                }
                move(CallState.ANSWERING);
                options = opts;
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
                answer = OfferAnswer.answer(offer, me, 1, MediaDirection.SENDRECV);
                synchronized (this) {
                    session = leg;
                    local = me;
                    pendingMedia = answer.media();
                }
            } catch (M800Exception e) {
                leg.close();
                manager.send("call.reject", payload("reason", "INCOMPATIBLE"));
                end(CallEndReason.INCOMPATIBLE_MEDIA);
                throw e;
            }
            leg.setListener(this);
            Map<String, Object> data = payload("sdp", SdpWriter.write(answer.sdp()));
            return manager.ask("call.answer", data).handle((ok, failure) -> {
                if (failure == null) {
                    answered(Instant.now());
                    return null;
                }
                if (Wire.isReason(failure, "ALREADY_ANSWERED")) {
                    end(CallEndReason.ANSWERED_ELSEWHERE);
                } else if (Wire.isReason(failure, "CALL_ENDED")) {
                    end(CallEndReason.REMOTE_CANCELLED);
                } else {
                    end(CallEndReason.FAILED);
                }
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
                if (state != CallState.INCOMING) {
                    throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " is " + state + ", not INCOMING");
                }
            }
            end(reason);
            return manager.ask("call.reject", payload("reason", wire)).thenApply(ok -> null);
        });
    }

    @Override
    public CompletableFuture<Void> hangUp() {
        return manager.tryStart(() -> {
            CallState was;
            synchronized (this) {
                was = state;
            }
            if (was == CallState.ENDED) {
                return CompletableFuture.completedFuture(null);
            }
            CallEndReason reason = switch (was) {
                case DIALING, RINGING -> CallEndReason.CANCELLED;
                case INCOMING -> CallEndReason.DECLINED;
                default -> CallEndReason.LOCAL_HANGUP;
            };
            end(reason);
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
                if (state != from) {
                    throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " is " + state + ", not " + from);
                }
                if (reoffer != null) {
                    throw new M800Exception(ErrorCode.ILLEGAL_STATE, "a hold or resume of call " + id + " is under way");
                }
                offer = OfferAnswer.offer(local, ++sdpVersion, remoteHold && wish == MediaDirection.SENDONLY
                        ? MediaDirection.INACTIVE : wish);
                lastOffer = offer;
                reoffer = done;
                reofferDirection = wish;
            }
            manager.ask("call.reoffer", payload("sdp", SdpWriter.write(offer))).whenComplete((ok, failure) -> {
                if (failure != null) {
                    synchronized (this) {
                        if (reoffer == done) {
                            reoffer = null;
                        }
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
            if (session != null && mediaStarted) {
                session.setMuted(mute || state == CallState.HELD);
            }
        }
    }

    @Override
    public CompletableFuture<Void> sendDtmf(String digits) {
        return manager.tryStart(() -> {
            if (digits == null || digits.isEmpty() || !digits.matches("[0-9*#A-D]+")) {
                throw M800Exception.invalidArgument("DTMF digits must be 1 or more of 0-9 * # A-D, not '" + digits + "'");
            }
            MediaSession s;
            synchronized (this) {
                if (state != CallState.ACTIVE || !mediaStarted) {
                    throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " is " + state + ", not ACTIVE");
                }
                s = session;
            }
            try {
                for (char c : digits.toCharArray()) {
                    s.sendDtmf(c);
                }
            } catch (IllegalArgumentException e) {
                throw new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + ": " + e.getMessage(), e);
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
        NegotiatedMedia media;
        try {
            SessionDescription answer = SdpParser.parse(Wire.requiredText(data, "sdp"));
            synchronized (this) {
                media = OfferAnswer.accept(lastOffer, answer);
            }
        } catch (M800Exception e) {
            LOG.warn("Call {}: the answer cannot be used ({}); hanging up", id, e.getMessage());
            end(CallEndReason.INCOMPATIBLE_MEDIA);
            manager.send("call.hangup", payload(null, null));
            return;
        }
        RuntimeException refused = null;
        synchronized (this) {
            if (state != CallState.DIALING && state != CallState.RINGING) {
                return;
            }
            answeredAt = at;
            try {
                startMedia(media);
                move(CallState.ACTIVE);
            } catch (IllegalArgumentException | IllegalStateException e) {
                refused = e;
            }
        }
        if (refused != null) {
            mediaRefused(refused);
        }
    }

    /** The engine refused what the offer/answer agreed: the call cannot go on. */
    private void mediaRefused(RuntimeException e) {
        LOG.warn("Call {}: the media engine refused the agreed media ({}); hanging up", id, e.getMessage());
        end(CallEndReason.INCOMPATIBLE_MEDIA);
        manager.send("call.hangup", payload(null, null));
    }

    /** The callee's answer was confirmed (by the answer's response or its event, whichever comes first). */
    private void answered(Instant at) {
        RuntimeException refused = null;
        synchronized (this) {
            if (state != CallState.ANSWERING) {
                return;
            }
            answeredAt = at;
            try {
                startMedia(pendingMedia);
                move(CallState.ACTIVE);
            } catch (IllegalArgumentException | IllegalStateException e) {
                refused = e;
            }
        }
        if (refused != null) {
            mediaRefused(refused);
        }
    }

    /** Caller holds the monitor. */
    private void startMedia(NegotiatedMedia media) {
        AudioSource source = options.source() != null ? options.source() : manager.defaultSource();
        AudioSink sink = options.sink() != null ? options.sink() : manager.defaultSink();
        pendingMedia = media;
        if (!media.encrypted()) {
            LOG.warn("Call {}: the audio is plain RTP, not encrypted (the application allowed it)", id);
        }
        session.start(media, source, sink);
        session.setMuted(muted);
        mediaStarted = true;
    }

    void reofferEvent(Map<String, Object> data) {
        OfferAnswer.Answer answer;
        boolean holdChanged;
        boolean nowHeld;
        synchronized (this) {
            if (state != CallState.ACTIVE && state != CallState.HELD || !mediaStarted) {
                return;
            }
            try {
                SessionDescription offer = SdpParser.parse(Wire.requiredText(data, "sdp"));
                MediaDirection wish = state == CallState.HELD ? MediaDirection.SENDONLY : MediaDirection.SENDRECV;
                answer = OfferAnswer.answer(offer, local, ++sdpVersion, wish);
                // sendonly or inactive: the other side no longer listens to this one
                nowHeld = !offer.direction().receives();
                session.update(answer.media());
            } catch (M800Exception | IllegalArgumentException | IllegalStateException e) {
                LOG.warn("Call {}: a re-offer cannot be used: {}", id, e.getMessage());
                return;
            }
            holdChanged = nowHeld != remoteHold;
            remoteHold = nowHeld;
        }
        manager.send("call.reanswer", payload("sdp", SdpWriter.write(answer.sdp())));
        if (holdChanged) {
            manager.listeners().emit(l -> l.remoteHold(this, nowHeld));
        }
    }

    void reanswerEvent(Map<String, Object> data) {
        CompletableFuture<Void> done;
        synchronized (this) {
            done = reoffer;
            if (done == null || state == CallState.ENDED) {
                return;
            }
            reoffer = null;
            try {
                NegotiatedMedia media = OfferAnswer.accept(lastOffer, SdpParser.parse(Wire.requiredText(data, "sdp")));
                try {
                    session.update(media);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new M800Exception(ErrorCode.PROTOCOL, "the engine refused the re-answer: " + e.getMessage(), e);
                }
                // on hold this side sends silence (no music on hold): the stream, and so the relay's and the
                // peer's view that the call is alive, goes on
                session.setMuted(muted || reofferDirection != MediaDirection.SENDRECV);
            } catch (M800Exception e) {
                done.completeExceptionally(e);
                return;
            }
            move(reofferDirection == MediaDirection.SENDRECV ? CallState.ACTIVE : CallState.HELD);
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
        end(CallEndReason.MEDIA_TIMEOUT);
        manager.send("call.hangup", payload("reason", "MEDIA_TIMEOUT"));
    }

    @Override
    public void statistics(MediaStats stats) {
        String codec;
        synchronized (this) {
            codec = pendingMedia != null ? pendingMedia.codec().name() : null;
        }
        CallStatistics s = new CallStatistics(codec, stats.packetsSent(), stats.packetsReceived(), stats.fractionLost(),
                stats.cumulativeLost(), stats.jitterMs(), stats.roundTripMs());
        statistics = s;
        // queued (emit only queues) under the monitor's lock, so that the rx and tick threads cannot reorder a
        // warning and its clearing
        java.util.List<org.m800.sdk.call.QualityWarning> changes;
        synchronized (quality) {
            changes = quality.update(stats);
            for (org.m800.sdk.call.QualityWarning w : changes) {
                LOG.info("Call {}: quality warning {} {} ({})", id, w.metric(), w.raised() ? "raised" : "cleared",
                        Math.round(w.value()));
                manager.listeners().emit(l -> l.qualityChanged(this, w));
            }
        }
        manager.listeners().emit(l -> l.statistics(this, s));
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
        MediaSession leg;
        CompletableFuture<Void> pending;
        synchronized (this) {
            if (state == CallState.ENDED) {
                return;
            }
            endReason = reason;
            move(CallState.ENDED);
            leg = session;
            session = null;
            pending = reoffer;
            reoffer = null;
        }
        if (leg != null) {
            leg.setListener(null);
            leg.close();
        }
        if (pending != null) {
            pending.completeExceptionally(new M800Exception(ErrorCode.ILLEGAL_STATE, "call " + id + " ended: " + reason));
        }
        manager.ended(this);
        manager.listeners().emit(l -> l.ended(this, reason));
    }

    /** Forgets a call that was never handed out (its invite failed): no listener hears of it. */
    void discard() {
        MediaSession leg;
        synchronized (this) {
            endReason = CallEndReason.FAILED;
            state = CallState.ENDED;
            leg = session;
            session = null;
        }
        if (leg != null) {
            leg.setListener(null);
            leg.close();
        }
        manager.ended(this);
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
