package org.m800.sdk.file.internal;

import java.util.ArrayList;
import java.util.List;

import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the TwelveMonkeys image readers (WebP, and JPEG with CMYK and broken-but-common files)
 * with ImageIO's registry. Under OSGi they do not register themselves (ImageIO scans only the class
 * path), so the file feature does it when it starts and takes them out when it stops, so the registry
 * does not keep the bundle's classes after an update or uninstall.
 */
final class ImagePlugins implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImagePlugins.class);

    private final List<ImageReaderSpi> registered = new ArrayList<>();

    ImagePlugins() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        for (ImageReaderSpi spi : List.<ImageReaderSpi>of(new com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi(),
                new com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi())) {
            if (registry.getServiceProviderByClass(spi.getClass()) == null) {
                registry.registerServiceProvider(spi, ImageReaderSpi.class);
                registered.add(spi);
            }
        }
        LOG.debug("image readers registered: {}", registered);
    }

    @Override
    public void close() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        for (ImageReaderSpi spi : registered) {
            registry.deregisterServiceProvider(spi, ImageReaderSpi.class);
        }
        registered.clear();
    }
}
