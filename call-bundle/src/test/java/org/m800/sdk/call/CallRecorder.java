package org.m800.sdk.call;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records what a {@link CallManager} tells its listeners; waits with timeouts. */
final class CallRecorder implements CallListener {
    final LinkedBlockingQueue<Call> incoming = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<CallEndReason> ended = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Character> dtmf = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Boolean> remoteHold = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<CallState> states = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Integer> missed = new LinkedBlockingQueue<>();

    static CallRecorder on(CallManager manager) {
        CallRecorder r = new CallRecorder();
        manager.addListener(r);
        return r;
    }

    @Override
    public void incoming(Call call) {
        incoming.add(call);
    }

    @Override
    public void ended(Call call, CallEndReason reason) {
        ended.add(reason);
    }

    @Override
    public void dtmfReceived(Call call, char digit) {
        dtmf.add(digit);
    }

    @Override
    public void remoteHold(Call call, boolean held) {
        remoteHold.add(held);
    }

    @Override
    public void stateChanged(Call call, CallState from, CallState to) {
        states.add(to);
    }

    @Override
    public void missedCallsChanged(int unseen) {
        missed.add(unseen);
    }

    Call nextIncoming() throws InterruptedException {
        Call c = incoming.poll(CallFixture.SECONDS, TimeUnit.SECONDS);
        assertNotNull("no incoming call", c);
        return c;
    }

    void expectEnded(CallEndReason expected) throws InterruptedException {
        assertEquals(expected, ended.poll(CallFixture.SECONDS, TimeUnit.SECONDS));
    }

    void expectState(CallState expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CallFixture.SECONDS);
        while (System.nanoTime() < deadline) {
            CallState s = states.poll(100, TimeUnit.MILLISECONDS);
            if (s == expected) {
                return;
            }
        }
        throw new AssertionError("state " + expected + " did not come");
    }

    void expectMissed(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CallFixture.SECONDS);
        while (System.nanoTime() < deadline) {
            Integer n = missed.poll(100, TimeUnit.MILLISECONDS);
            if (n != null && n == expected) {
                return;
            }
        }
        throw new AssertionError("the missed-call count did not become " + expected);
    }
}
