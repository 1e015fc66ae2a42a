package org.m800.server;

import java.util.Objects;

/**
 * An application the server accepts: the server-side twin of the SDK's {@code AppMeta} (without the
 * application version). Immutable. {@link #toString()} never shows the secret or the developer key.
 *
 * @param carrier the carrier the application belongs to; accounts are scoped by carrier
 * @param applicationIdentifier the application's identifier, such as {@code com.example.chat}
 * @param applicationKey the public key that names the application in signed requests; unique per server
 * @param applicationSecret the secret the application signs requests with
 * @param developerKey the developer's key
 * @param verification how the server verifies phone numbers for the application
 *        ({@link VerificationSettings#DEFAULTS} unless configured)
 */
public record ApplicationRegistration(String carrier, String applicationIdentifier, String applicationKey,
        String applicationSecret, String developerKey, VerificationSettings verification) {

    /**
     * The development application every server knows unless told otherwise (see
     * {@link ReferenceServer.Builder#developmentApplication(boolean)}). Never use it in production.
     */
    public static final ApplicationRegistration DEVELOPMENT = new ApplicationRegistration("dev.m800", "org.m800.dev",
            "dev-key", "dev-secret", "dev-developer");

    /** @throws IllegalArgumentException naming the first missing or blank field */
    public ApplicationRegistration {
        carrier = require("carrier", carrier);
        applicationIdentifier = require("applicationIdentifier", applicationIdentifier);
        applicationKey = require("applicationKey", applicationKey);
        applicationSecret = require("applicationSecret", applicationSecret);
        developerKey = require("developerKey", developerKey);
        verification = verification == null ? VerificationSettings.DEFAULTS : verification;
    }

    /** An application with the default {@link VerificationSettings}. */
    public ApplicationRegistration(String carrier, String applicationIdentifier, String applicationKey,
            String applicationSecret, String developerKey) {
        this(carrier, applicationIdentifier, applicationKey, applicationSecret, developerKey, null);
    }

    /** @return this application with other verification settings */
    public ApplicationRegistration withVerification(VerificationSettings settings) {
        return new ApplicationRegistration(carrier, applicationIdentifier, applicationKey, applicationSecret,
                developerKey, settings);
    }

    private static String require(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required and must not be blank");
        }
        return value.strip();
    }

    @Override
    public String toString() {
        return "ApplicationRegistration[carrier=" + carrier + ", applicationIdentifier=" + applicationIdentifier
                + ", applicationKey=" + applicationKey + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApplicationRegistration a && carrier.equals(a.carrier)
                && applicationIdentifier.equals(a.applicationIdentifier) && applicationKey.equals(a.applicationKey)
                && applicationSecret.equals(a.applicationSecret) && developerKey.equals(a.developerKey)
                && verification.equals(a.verification);
    }

    @Override
    public int hashCode() {
        return Objects.hash(carrier, applicationIdentifier, applicationKey);
    }
}
