package org.m800.sdk.file;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.imageio.ImageIO;

/** Images made by the tests: halves of two colours, EXIF orientation inserted by hand, a PNG bomb header. */
final class TestImages {

    private TestImages() {
    }

    /** Left half red, right half blue. */
    static BufferedImage halves(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(Color.BLUE);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        return img;
    }

    static Path png(Path p, int w, int h) throws IOException {
        ImageIO.write(halves(w, h, BufferedImage.TYPE_INT_ARGB), "png", p.toFile());
        return p;
    }

    /** A JPEG with an EXIF APP1 segment whose IFD0 holds only Orientation. */
    static Path jpegWithOrientation(Path p, int w, int h, int orientation) throws IOException {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(halves(w, h, BufferedImage.TYPE_INT_RGB), "jpeg", jpeg);
        byte[] plain = jpeg.toByteArray();
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        DataOutputStream t = new DataOutputStream(tiff);
        t.writeBytes("MM");
        t.writeShort(42);
        t.writeInt(8);
        t.writeShort(1); // one entry
        t.writeShort(0x0112); // Orientation
        t.writeShort(3); // SHORT
        t.writeInt(1);
        t.writeShort(orientation);
        t.writeShort(0);
        t.writeInt(0); // no next IFD
        byte[] exif = tiff.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(plain, 0, 2); // SOI
        o.writeShort(0xFFE1);
        o.writeShort(2 + 6 + exif.length);
        o.write("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        o.write(exif);
        o.write(plain, 2, plain.length - 2);
        Files.write(p, out.toByteArray());
        return p;
    }

    /** A small PNG whose header claims {@code w x h} pixels (a decompression bomb's shape). */
    static Path pngClaiming(Path p, int w, int h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(out);
        o.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream i = new DataOutputStream(ihdr);
        i.writeInt(w);
        i.writeInt(h);
        i.writeByte(8); // bit depth
        i.writeByte(2); // RGB
        i.writeByte(0);
        i.writeByte(0);
        i.writeByte(0);
        chunk(o, "IHDR", ihdr.toByteArray());
        // a few rows of zeros, compressed: the rest would inflate to gigabytes
        Deflater d = new Deflater();
        d.setInput(new byte[1 << 20]);
        d.finish();
        byte[] buf = new byte[1 << 16];
        int n = d.deflate(buf);
        d.end();
        byte[] idat = new byte[n];
        System.arraycopy(buf, 0, idat, 0, n);
        chunk(o, "IDAT", idat);
        chunk(o, "IEND", new byte[0]);
        Files.write(p, out.toByteArray());
        return p;
    }

    private static void chunk(DataOutputStream o, String type, byte[] data) throws IOException {
        o.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        o.write(t);
        o.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        o.writeInt((int) crc.getValue());
    }

    /** @return the colour of a pixel as "red", "blue" or its hex */
    static String colour(BufferedImage img, int x, int y) {
        Color c = new Color(img.getRGB(x, y));
        if (c.getRed() > 180 && c.getBlue() < 80) {
            return "red";
        }
        if (c.getBlue() > 180 && c.getRed() < 80) {
            return "blue";
        }
        return Integer.toHexString(img.getRGB(x, y));
    }
}
