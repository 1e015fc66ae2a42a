package org.m800.sdk.file.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.file.FileManager;
import org.m800.sdk.file.MediaInfo;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.ImageProcessingException;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.mov.QuickTimeDirectory;
import com.drew.metadata.mp4.Mp4Directory;

import net.coobird.thumbnailator.Thumbnails;

/**
 * Reads what a media file is, bounded: an image's size is read from its header first and an image
 * over {@link FileManager#MAX_IMAGE_PIXELS} pixels (or one whose decoding would not fit a quarter of
 * the heap) is refused before any pixel is decoded; the pixels are decoded subsampled to about twice
 * the thumbnail's size. One image at a time per caller thread: the manager runs it on one thread.
 */
final class MediaAnalyzer {

    private static final float JPEG_QUALITY = 0.8f;

    private final ContentTypes types;

    MediaAnalyzer(ContentTypes types) {
        this.types = types;
    }

    MediaInfo analyze(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw M800Exception.invalidArgument("'" + file + "' is not a readable regular file");
        }
        String mime;
        try (InputStream in = ContentTypes.markable(Files.newInputStream(file))) {
            mime = types.detect(in, String.valueOf(file.getFileName()));
        }
        if (mime.startsWith("image/")) {
            return image(file, mime);
        }
        if (mime.startsWith("audio/") || mime.startsWith("video/")) {
            return new MediaInfo(mime, null, null, duration(file), null);
        }
        return new MediaInfo(mime, null, null, null, null);
    }

    private MediaInfo image(Path file, String mime) throws IOException {
        try (ImageInputStream iis = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = iis == null ? null : ImageIO.getImageReaders(iis);
            if (readers == null || !readers.hasNext()) {
                return new MediaInfo(mime, null, null, null, null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                checkBounds(file, w, h, reader);
                int orientation = orientation(file);
                int sub = Math.max(1, Math.max(w, h) / (2 * FileManager.THUMBNAIL_SIZE));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(sub, sub, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                // never enlarged: a small image is its own thumbnail
                BufferedImage small = Math.max(decoded.getWidth(), decoded.getHeight()) <= FileManager.THUMBNAIL_SIZE
                        ? decoded
                        : Thumbnails.of(decoded).size(FileManager.THUMBNAIL_SIZE, FileManager.THUMBNAIL_SIZE)
                                .asBufferedImage();
                BufferedImage thumb = Orientation.apply(opaque(small), orientation);
                boolean swap = orientation >= 5 && orientation <= 8;
                return new MediaInfo(mime, (long) (swap ? h : w), (long) (swap ? w : h), null, jpeg(thumb));
            } finally {
                reader.dispose();
            }
        } catch (M800Exception e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new M800Exception(ErrorCode.INVALID_ARGUMENT, "the image '" + file.getFileName()
                    + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** Refuses an image before decoding when its pixels would not be bounded. */
    static void checkBounds(Path file, int w, int h, ImageReader reader) {
        long pixels = (long) w * h;
        if (w <= 0 || h <= 0 || pixels > FileManager.MAX_IMAGE_PIXELS) {
            throw M800Exception.invalidArgument("the image '" + file.getFileName() + "' claims " + w + " x " + h
                    + " pixels, over the " + FileManager.MAX_IMAGE_PIXELS + " the SDK decodes");
        }
        String format = reader.getOriginatingProvider() == null ? ""
                : String.join(",", reader.getOriginatingProvider().getFormatNames()).toLowerCase(Locale.ROOT);
        // the JDK's JPEG and PNG readers decode subsampled rows; others may decode the whole raster first
        boolean streams = format.contains("jpeg") || format.contains("png");
        if (!streams && pixels * 4 > Runtime.getRuntime().maxMemory() / 4) {
            throw M800Exception.invalidArgument("the image '" + file.getFileName() + "' (" + w + " x " + h
                    + ") would need more memory to decode than the SDK allows itself");
        }
    }

    /** @return the EXIF orientation (1 to 8), 1 when there is none */
    static int orientation(Path file) {
        try {
            Metadata md = ImageMetadataReader.readMetadata(file.toFile());
            ExifIFD0Directory d = md.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (d != null && d.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int o = d.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return o >= 1 && o <= 8 ? o : 1;
            }
        } catch (ImageProcessingException | IOException | com.drew.metadata.MetadataException | RuntimeException e) {
            // no readable EXIF: as it is
        }
        return 1;
    }

    /** @return the duration in ms where the container says it, else null */
    static Long duration(Path file) {
        try {
            AudioFileFormat f = AudioSystem.getAudioFileFormat(file.toFile());
            if (f.getFrameLength() > 0 && f.getFormat().getFrameRate() > 0) {
                return (long) (f.getFrameLength() * 1000.0 / f.getFormat().getFrameRate());
            }
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            // not a format of the JDK's: ask metadata-extractor
        }
        try {
            Metadata md = ImageMetadataReader.readMetadata(file.toFile());
            for (Directory d : md.getDirectories()) {
                if (d instanceof Mp4Directory && d.containsTag(Mp4Directory.TAG_DURATION_SECONDS)) {
                    return Math.round(d.getDouble(Mp4Directory.TAG_DURATION_SECONDS) * 1000);
                }
                if (d instanceof QuickTimeDirectory && d.containsTag(QuickTimeDirectory.TAG_DURATION_SECONDS)) {
                    return Math.round(d.getDouble(QuickTimeDirectory.TAG_DURATION_SECONDS) * 1000);
                }
            }
        } catch (ImageProcessingException | IOException | com.drew.metadata.MetadataException | RuntimeException e) {
            // no duration
        }
        return null;
    }

    private static BufferedImage opaque(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.drawImage(img, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    static byte[] jpeg(BufferedImage img) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no JPEG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
