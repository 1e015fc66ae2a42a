package org.m800.sdk.verification.internal;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.Locale;

import org.m800.sdk.core.M800Exception;
import org.m800.sdk.phone.internal.PhoneNumbers;
import org.m800.sdk.verification.VerificationError;
import org.m800.sdk.verification.VerificationException;
import org.m800.sdk.verification.VerificationMethod;

/**
 * Checks a number for a verification method: normalised by the SDK's one normaliser
 * ({@link PhoneNumbers}, shared with the contacts), then, for methods that need one, checked to be
 * mobile. Errors are {@link VerificationException}s. Thread-safe.
 */
final class PhoneNumberChecker {

    private PhoneNumberChecker() {
    }

    /**
     * @param defaultRegion region of national numbers, or null for international form only
     * @return the number in E.164 form
     * @throws VerificationException INVALID_ARGUMENT saying why
     */
    static String normalize(String input, String defaultRegion, VerificationMethod method) {
        if (method == null) {
            throw VerificationException.invalid(VerificationError.OTHER, "method is required (SMS, VOICE_CALL or FLASH_CALL)");
        }
        String region = defaultRegion == null || defaultRegion.isBlank() ? null : defaultRegion.toUpperCase(Locale.ROOT);
        String e164;
        try {
            e164 = PhoneNumbers.normalize(input, region);
        } catch (M800Exception e) {
            throw VerificationException.invalid(VerificationError.INVALID_NUMBER, e.getMessage());
        }
        if (method.needsMobile()) {
            PhoneNumberUtil.PhoneNumberType type = PhoneNumbers.type(e164);
            if (type != PhoneNumberUtil.PhoneNumberType.MOBILE
                    && type != PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE) {
                throw VerificationException.invalid(VerificationError.UNSUPPORTED_NUMBER, "phone number '"
                        + input.strip() + "' is not mobile (" + type.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + "); " + method + " needs a mobile number, VOICE_CALL does not");
            }
        }
        return e164;
    }
}
