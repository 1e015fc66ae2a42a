/**
 * The media module ({@code media}): audio sources and sinks that calls capture from and play to: sound
 * devices, WAV files, tones, PCM pushed and pulled by the application, with mute and level meters. Audio
 * crosses this API as 16-bit signed mono PCM in frames of 20 ms.
 */
@Version("1.0.0")
package org.m800.sdk.media;

import org.osgi.annotation.versioning.Version;
