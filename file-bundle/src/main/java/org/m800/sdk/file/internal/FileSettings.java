package org.m800.sdk.file.internal;

import java.util.Map;

import org.m800.sdk.file.FileManager;

/**
 * The file feature's settings (Configuration Admin PID {@value FileManager#CONFIGURATION_PID}, or the
 * system properties {@code m800.file.<key>} outside OSGi).
 *
 * @param maxConcurrent transfers at once per client, 1 to 64
 * @param fetchThumbnails whether thumbnails of received media messages are fetched by themselves
 */
record FileSettings(int maxConcurrent, boolean fetchThumbnails) {

    static final FileSettings DEFAULTS = new FileSettings(FileManager.DEFAULT_MAX_CONCURRENT, true);

    /** Reads the settings; a bad value is replaced by its default (and named in the exception's place, the log). */
    static FileSettings from(Map<String, ?> map, java.util.function.Consumer<String> complain) {
        int max = FileManager.DEFAULT_MAX_CONCURRENT;
        Object m = map.get(FileManager.MAX_CONCURRENT_KEY);
        if (m != null) {
            try {
                max = m instanceof Number n ? n.intValue() : Integer.parseInt(m.toString().strip());
                if (max < 1 || max > 64) {
                    complain.accept(FileManager.MAX_CONCURRENT_KEY + " must be 1 to 64, was " + max);
                    max = FileManager.DEFAULT_MAX_CONCURRENT;
                }
            } catch (NumberFormatException e) {
                complain.accept(FileManager.MAX_CONCURRENT_KEY + " is not a number: '" + m + "'");
            }
        }
        Object f = map.get(FileManager.FETCH_THUMBNAILS_KEY);
        boolean fetch = f == null || Boolean.parseBoolean(f.toString().strip());
        return new FileSettings(max, fetch);
    }

    /** Outside OSGi: from the system properties. */
    static FileSettings fromSystemProperties(java.util.function.Consumer<String> complain) {
        Map<String, Object> m = new java.util.HashMap<>();
        for (String key : new String[] { FileManager.MAX_CONCURRENT_KEY, FileManager.FETCH_THUMBNAILS_KEY }) {
            String v = System.getProperty("m800.file." + key);
            if (v != null) {
                m.put(key, v);
            }
        }
        return from(m, complain);
    }
}
