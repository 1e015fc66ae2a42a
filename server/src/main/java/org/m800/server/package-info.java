/**
 * The M800 reference server's embedding API: {@link org.m800.server.ReferenceServer} and the
 * {@link org.m800.server.ApplicationRegistration}s it accepts. Everything under
 * {@code org.m800.server.internal} is implementation and may change without notice.
 */
package org.m800.server;
