/**
 * The file feature: resumable, verified file transfer and media messages
 * (see {@link org.m800.sdk.file.FileManager}).
 */
@Version("1.0.0")
package org.m800.sdk.file;

import org.osgi.annotation.versioning.Version;
