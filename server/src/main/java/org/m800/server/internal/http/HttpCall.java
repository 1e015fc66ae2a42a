package org.m800.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.m800.server.ApplicationRegistration;

/**
 * One authenticated HTTP request as a route sees it.
 *
 * @param application the application that signed it
 * @param body the JSON body ({@code {}} when empty)
 * @param bearerToken the token of {@code Authorization: Bearer}, or {@code null}
 * @param remoteAddress the IP address of the peer (no forwarding header is trusted), or {@code null}
 */
public record HttpCall(ApplicationRegistration application, ObjectNode body, String bearerToken,
        String remoteAddress) {

    /** A call whose peer address is unknown. */
    public HttpCall(ApplicationRegistration application, ObjectNode body, String bearerToken) {
        this(application, body, bearerToken, null);
    }
}
