/**
 * The M800 SDK core API: the {@link org.m800.sdk.core.Client}, its configuration and its module model.
 */
@Version("1.2.0")
package org.m800.sdk.core;

import org.osgi.annotation.versioning.Version;
