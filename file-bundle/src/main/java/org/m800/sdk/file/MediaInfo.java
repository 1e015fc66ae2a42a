package org.m800.sdk.file;

/**
 * What the SDK learned from a media file's content.
 *
 * @param mimeType the detected type, such as {@code image/webp}
 * @param width pixels of an image (orientation applied), or {@code null}
 * @param height pixels of an image (orientation applied), or {@code null}
 * @param durationMs of audio or video where the container says it, or {@code null}
 * @param thumbnail a JPEG whose longest side is at most {@value FileManager#THUMBNAIL_SIZE} pixels, EXIF
 *        orientation applied, or {@code null} for what is not an image; never modified by the SDK after
 */
public record MediaInfo(String mimeType, Long width, Long height, Long durationMs, byte[] thumbnail) {
}
