package org.m800.sdk.file.internal;

import java.awt.image.BufferedImage;

/** Applies an EXIF orientation (1 to 8) to a small image, so it shows upright. */
final class Orientation {

    private Orientation() {
    }

    static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage dst = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = src.getRGB(x, y);
                switch (orientation) {
                    case 2 -> dst.setRGB(w - 1 - x, y, rgb);
                    case 3 -> dst.setRGB(w - 1 - x, h - 1 - y, rgb);
                    case 4 -> dst.setRGB(x, h - 1 - y, rgb);
                    case 5 -> dst.setRGB(y, x, rgb);
                    case 6 -> dst.setRGB(h - 1 - y, x, rgb);
                    case 7 -> dst.setRGB(h - 1 - y, w - 1 - x, rgb);
                    default -> dst.setRGB(y, w - 1 - x, rgb);
                }
            }
        }
        return dst;
    }
}
