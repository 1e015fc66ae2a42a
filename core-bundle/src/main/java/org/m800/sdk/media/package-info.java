/**
 * The media module ({@code media}): audio sources and sinks that calls capture from and play to: sound
 * devices, WAV files, tones, PCM pushed and pulled by the application, with mute and level meters. Audio
 * crosses this API as 16-bit signed mono PCM in frames of 20 ms. 1.1: the devices, WAV files, tones, pushed
 * and pulled PCM, the meters and {@link org.m800.sdk.media.MediaDeviceListener} (1.0 had the sources and
 * sinks only).
 */
@Version("1.1.0")
package org.m800.sdk.media;

import org.osgi.annotation.versioning.Version;
