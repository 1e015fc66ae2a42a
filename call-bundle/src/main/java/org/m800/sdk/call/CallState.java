package org.m800.sdk.call;

/**
 * The state of a {@link Call} on this device.
 *
 * <pre>
 * outgoing:  DIALING --the callee's device rings--&gt; RINGING --answered--&gt; ACTIVE
 * incoming:  INCOMING --answer()--&gt; ANSWERING --the server confirms--&gt; ACTIVE
 * ACTIVE --hold()--&gt; HELD --resume()--&gt; ACTIVE
 * any --the call ends, however--&gt; ENDED (final; {@link Call#endReason()} says how)
 * </pre>
 * A call may go from DIALING straight to ACTIVE (no ringing reported) and from any state to ENDED.
 */
public enum CallState {
    /** Outgoing: the invite is on its way or waiting for a device of the callee. */
    DIALING,
    /** Outgoing: a device of the callee rings. */
    RINGING,
    /** Incoming: this device rings; {@link Call#answer()} or {@link Call#reject()}. */
    INCOMING,
    /** Incoming: this device answered; the server has not confirmed yet. */
    ANSWERING,
    /** Answered: audio flows (in the directions the hold state allows). */
    ACTIVE,
    /** This side put the call on hold ({@link Call#hold()}): it neither sends nor plays audio. */
    HELD,
    /** Final. */
    ENDED;

    /** @return whether the state is {@link #ENDED} */
    public boolean isFinal() {
        return this == ENDED;
    }
}
