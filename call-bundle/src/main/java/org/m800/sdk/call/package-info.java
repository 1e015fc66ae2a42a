/**
 * The call feature: one-to-one voice calls with encrypted RTP audio, loaded at run time
 * (see {@link org.m800.sdk.call.CallManager}).
 */
@Version("1.1.0")
package org.m800.sdk.call;

import org.osgi.annotation.versioning.Version;
