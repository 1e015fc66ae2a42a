/**
 * Test-only API shared by the test feature bundles and the Pax Exam probe.
 */
@Version("1.1.0")
package org.m800.sdk.itest.api;

import org.osgi.annotation.versioning.Version;
