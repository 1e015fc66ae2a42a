/**
 * Phone-number verification: the {@link org.m800.sdk.verification.VerificationManager} of the feature
 * {@code verification}, its sessions and their events.
 */
@Version("1.2.0")
package org.m800.sdk.verification;

import org.osgi.annotation.versioning.Version;
