package org.m800.sdk.media;

/**
 * The module {@value #MODULE} of the {@code core} feature (deps {@code service.notification}): the audio
 * sources and sinks a client's calls use. Overridable by name, in code or by a higher-ranked bundle.
 *
 * <p>Thread-safe.
 */
public interface MediaManager {

    /** The module name. */
    String MODULE = "media";

    /**
     * @return the source a call uses when the application gives none: the system microphone when the
     *         JVM has one, otherwise silence; never {@code null}
     */
    AudioSource defaultSource();

    /**
     * @return the sink a call uses when the application gives none: the system speaker when the JVM
     *         has one, otherwise a sink that discards; never {@code null}
     */
    AudioSink defaultSink();
}
