package org.m800.sdk.core;

import java.util.Map;
import java.util.Objects;

/**
 * Who the application is, as registered with the M800 servers. Immutable and thread-safe.
 *
 * <p>Every field is required and must not be blank. {@link #toString()} never shows the secret or
 * the developer key.
 *
 * @param carrier the carrier (operator domain) the application belongs to, such as {@code m800.example}
 * @param applicationIdentifier the application's identifier, such as {@code com.example.chat}: 1 to 128
 *        letters, digits, {@code . _ -}, starting with a letter or digit (it names a folder of the
 *        default data directory, so {@code ../../x} is refused)
 * @param applicationKey the public key that names the application in signed requests
 * @param applicationSecret the secret that signs requests; never sent, never logged
 * @param developerKey the developer's key
 * @param applicationVersion the application's version, such as {@code 1.4.2}
 */
public record AppMeta(String carrier, String applicationIdentifier, String applicationKey, String applicationSecret,
        String developerKey, String applicationVersion) {

    /** A single folder name: no separator, not {@code .} or {@code ..}. */
    private static final java.util.regex.Pattern IDENTIFIER =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /** Configuration key of {@link #carrier()}. */
    public static final String CARRIER = "carrier";
    /** Configuration key of {@link #applicationIdentifier()}. */
    public static final String APPLICATION_IDENTIFIER = "applicationIdentifier";
    /** Configuration key of {@link #applicationKey()}. */
    public static final String APPLICATION_KEY = "applicationKey";
    /** Configuration key of {@link #applicationSecret()}. */
    public static final String APPLICATION_SECRET = "applicationSecret";
    /** Configuration key of {@link #developerKey()}. */
    public static final String DEVELOPER_KEY = "developerKey";
    /** Configuration key of {@link #applicationVersion()}. */
    public static final String APPLICATION_VERSION = "applicationVersion";

    /**
     * Checks and normalises (strips) every field.
     *
     * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} naming the first missing or blank field
     */
    public AppMeta {
        carrier = ConfigValues.requireText(CARRIER, carrier);
        applicationIdentifier = ConfigValues.requireText(APPLICATION_IDENTIFIER, applicationIdentifier);
        if (!IDENTIFIER.matcher(applicationIdentifier).matches()) {
            throw M800Exception.invalidArgument(APPLICATION_IDENTIFIER + " '" + applicationIdentifier
                    + "' is not valid: use 1 to 128 of A-Z a-z 0-9 . _ -, starting with a letter or digit");
        }
        applicationKey = ConfigValues.requireText(APPLICATION_KEY, applicationKey);
        applicationSecret = ConfigValues.requireText(APPLICATION_SECRET, applicationSecret);
        developerKey = ConfigValues.requireText(DEVELOPER_KEY, developerKey);
        applicationVersion = ConfigValues.requireText(APPLICATION_VERSION, applicationVersion);
    }

    /** @return a builder with no field set */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the fields from a map keyed by the constants of this class, as Configuration Admin or a
     * Karaf {@code etc/*.cfg} file supplies them. Unknown keys are ignored.
     *
     * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} naming the missing or blank field
     */
    public static AppMeta fromMap(Map<String, ?> map) {
        Objects.requireNonNull(map, "map");
        return new AppMeta(ConfigValues.text(map, CARRIER), ConfigValues.text(map, APPLICATION_IDENTIFIER),
                ConfigValues.text(map, APPLICATION_KEY), ConfigValues.text(map, APPLICATION_SECRET),
                ConfigValues.text(map, DEVELOPER_KEY), ConfigValues.text(map, APPLICATION_VERSION));
    }

    @Override
    public String toString() {
        return "AppMeta[carrier=" + carrier + ", applicationIdentifier=" + applicationIdentifier + ", applicationKey="
                + applicationKey + ", applicationSecret=***, developerKey=***, applicationVersion=" + applicationVersion
                + "]";
    }

    /** Builds an {@link AppMeta}; not thread-safe. */
    public static final class Builder {
        private String carrier;
        private String applicationIdentifier;
        private String applicationKey;
        private String applicationSecret;
        private String developerKey;
        private String applicationVersion;

        private Builder() {
        }

        /** @see AppMeta#carrier() */
        public Builder carrier(String value) {
            this.carrier = value;
            return this;
        }

        /** @see AppMeta#applicationIdentifier() */
        public Builder applicationIdentifier(String value) {
            this.applicationIdentifier = value;
            return this;
        }

        /** @see AppMeta#applicationKey() */
        public Builder applicationKey(String value) {
            this.applicationKey = value;
            return this;
        }

        /** @see AppMeta#applicationSecret() */
        public Builder applicationSecret(String value) {
            this.applicationSecret = value;
            return this;
        }

        /** @see AppMeta#developerKey() */
        public Builder developerKey(String value) {
            this.developerKey = value;
            return this;
        }

        /** @see AppMeta#applicationVersion() */
        public Builder applicationVersion(String value) {
            this.applicationVersion = value;
            return this;
        }

        /**
         * @throws M800Exception with {@link ErrorCode#INVALID_ARGUMENT} naming the first missing field
         */
        public AppMeta build() {
            return new AppMeta(carrier, applicationIdentifier, applicationKey, applicationSecret, developerKey,
                    applicationVersion);
        }
    }
}
