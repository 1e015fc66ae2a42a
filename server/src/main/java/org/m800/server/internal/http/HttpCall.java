package org.m800.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.m800.server.ApplicationRegistration;

/**
 * One authenticated HTTP request as a route sees it.
 *
 * @param application the application that signed it
 * @param body the JSON body ({@code {}} when empty)
 * @param bearerToken the token of {@code Authorization: Bearer}, or {@code null}
 */
public record HttpCall(ApplicationRegistration application, ObjectNode body, String bearerToken) {
}
