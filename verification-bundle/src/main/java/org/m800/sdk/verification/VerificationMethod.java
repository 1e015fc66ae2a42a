package org.m800.sdk.verification;

/** How the code reaches the user. */
public enum VerificationMethod {
    /** A text message with the code; needs a mobile number. */
    SMS(true),
    /** A call that reads the code aloud; any number that can take a call. */
    VOICE_CALL(false),
    /**
     * A call that is not meant to be answered: the last digits of the calling number are the code, so an
     * application that can see the incoming number completes the verification without typing
     * ({@link VerificationSession#checkIncomingCall(String)}); needs a mobile number.
     */
    FLASH_CALL(true);

    private final boolean needsMobile;

    VerificationMethod(boolean needsMobile) {
        this.needsMobile = needsMobile;
    }

    /** @return whether the method needs a mobile number */
    public boolean needsMobile() {
        return needsMobile;
    }
}
