package org.m800.sdk.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

/** Installs feature bundle jars with the core bundle's context. */
final class OsgiBundleInstaller implements BundleInstaller {

    private final BundleContext context;

    OsgiBundleInstaller(BundleContext context) {
        this.context = context;
    }

    @Override
    public Installed install(String location) {
        String symbolicName = checkIsBundle(location);
        Bundle bundle = context.getBundle(location);
        boolean fresh = bundle == null;
        if (fresh) {
            try {
                bundle = context.installBundle(location);
            } catch (BundleException e) {
                throw M800Exception.invalidArgument("cannot install the bundle at " + location + ": " + e.getMessage());
            }
        }
        try {
            bundle.start();
        } catch (BundleException | IllegalStateException e) {
            if (fresh) {
                uninstallQuietly(bundle);
            }
            throw M800Exception.invalidArgument("bundle " + symbolicName + " from " + location + " cannot start: "
                    + e.getMessage());
        }
        return new Installed(bundle.getBundleId(), symbolicName);
    }

    private static String checkIsBundle(String location) {
        URL url;
        try {
            url = new URL(location);
        } catch (MalformedURLException e) {
            throw M800Exception.invalidArgument("bundle location '" + location
                    + "' is not a URL (use e.g. file:/path/to/feature.jar): " + e.getMessage());
        }
        try (InputStream in = url.openStream(); JarInputStream jar = new JarInputStream(in)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                throw M800Exception.invalidArgument(location + " is not an OSGi bundle: it is not a jar with a manifest");
            }
            String name = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (name == null || name.isBlank()) {
                throw M800Exception.invalidArgument(location + " is not an OSGi bundle: its manifest has no "
                        + Constants.BUNDLE_SYMBOLICNAME);
            }
            return name.split(";", 2)[0].strip();
        } catch (IOException e) {
            throw M800Exception.invalidArgument("cannot read " + location + ": " + e);
        }
    }

    @Override
    public void uninstall(long bundleId) {
        Bundle bundle = context.getBundle(bundleId);
        if (bundle == null || bundle.getState() == Bundle.UNINSTALLED) {
            return;
        }
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            throw new M800Exception(ErrorCode.ILLEGAL_STATE, "cannot uninstall bundle " + bundle.getSymbolicName()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void uninstallQuietly(Bundle bundle) {
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException ignored) {
            // it failed to start; if it cannot be uninstalled either, the framework is stopping
        }
    }
}
