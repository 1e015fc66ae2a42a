package org.m800.server.internal.verification;

import org.m800.server.VerificationSettings;

/**
 * Delivers a code to a phone: by text message, a call that reads it, or a flash call from a number
 * that ends with it. Called on a server thread; may block up to its own timeout. Implementations
 * never log the code unless, like the development outbox, showing it is their purpose.
 */
interface DeliveryProvider {

    /** What a provider knows after handing a code over. */
    enum Result {
        /** handed to the network; whether it arrived is not known */
        SENT,
        /** known to have arrived (the development outbox: recorded) */
        DELIVERED
    }

    /**
     * One delivery.
     *
     * @param sessionId the verification session
     * @param applicationKey the application that asked
     * @param phoneNumber E.164
     * @param method how
     * @param code the code
     * @param callerNumber for flash calls the calling number (ends with the code), else null
     * @param locale BCP 47 language tag of the user, such as {@code en-GB}
     * @param message the text to send or read
     * @param at when, epoch ms
     */
    record Delivery(String sessionId, String applicationKey, String phoneNumber, VerificationSettings.Method method,
            String code, String callerNumber, String locale, String message, long at) {

        @Override
        public String toString() {
            return "Delivery[" + method + " session " + sessionId + "]";
        }
    }

    /**
     * @return what is known about the delivery
     * @throws DeliveryException if the code could not be handed over; the message is safe to show
     */
    Result deliver(Delivery delivery) throws DeliveryException;

    /** A failed delivery. */
    final class DeliveryException extends Exception {
        private static final long serialVersionUID = 1L;

        DeliveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
