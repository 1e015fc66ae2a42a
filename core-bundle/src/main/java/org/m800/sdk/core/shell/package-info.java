/**
 * Support for the Gogo shell commands of the SDK's feature bundles (and of a carrier's own): finding
 * clients, waiting for futures, demo clients on the runtime's defaults, and output a script can use
 * (ids in a stable form, JSON lines in JSON mode).
 */
@Version("1.0.0")
package org.m800.sdk.core.shell;

import org.osgi.annotation.versioning.Version;
