package org.m800.sdk.itest.api;

import java.util.List;
import org.m800.sdk.core.ConnectService;

/**
 * A {@link ConnectService} that talks to no server: it counts what it is asked and answers locally.
 * The {@code loopback} test bundle provides it as {@code service.connect}, ranked above the core's,
 * so tests can see from outside the bundle what the SDK did with the module that replaced the default.
 */
public interface CountingConnect extends ConnectService {

    /** The display name of every profile the loopback answers {@code profile.get} with. */
    String LOCAL_DISPLAY_NAME = "answered locally";

    /** @return the types of the requests it was asked, in order (answered or not) */
    List<String> requestTypes();

    /** @return the user id of each authenticator {@link #start} was called with, in order */
    List<String> startedFor();

    /** @return the name of the thread its factory ran on */
    String builtOn();

    /** @return how many times close() was called (more than once is a bug of the client) */
    int closeCount();
}
