package org.m800.sdk.verification.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;
import org.m800.sdk.verification.VerificationError;
import org.m800.sdk.verification.VerificationException;
import org.m800.sdk.verification.VerificationMethod;

/** Checks and normalises phone numbers with libphonenumber before anything is sent. Thread-safe. */
final class PhoneNumberChecker {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MAX_INPUT = 64;

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
        if (input == null || input.isBlank()) {
            throw invalid("phone number is required");
        }
        if (input.length() > MAX_INPUT) {
            throw invalid("phone number is too long (more than " + MAX_INPUT + " characters)");
        }
        String text = input.strip();
        String region = defaultRegion == null || defaultRegion.isBlank() ? "ZZ" : defaultRegion.toUpperCase(Locale.ROOT);
        if (!text.startsWith("+") && "ZZ".equals(region)) {
            throw invalid("phone number '" + text + "' must be in international form (+ and the country code) "
                    + "when the locale has no country");
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(text, region);
        } catch (NumberParseException e) {
            throw invalid(switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> "phone number '" + text + "' has an unknown country code";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "phone number '" + text + "' is too short";
                case TOO_LONG -> "phone number '" + text + "' is too long";
                default -> "'" + text + "' is not a phone number";
            });
        }
        String numberRegion = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
        switch (UTIL.isPossibleNumberWithReason(number)) {
            case TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY -> throw invalid("phone number '" + text + "' is too short for "
                    + numberRegion);
            case TOO_LONG -> throw invalid("phone number '" + text + "' is too long for " + numberRegion);
            case INVALID_COUNTRY_CODE -> throw invalid("phone number '" + text + "' has an unknown country code");
            case INVALID_LENGTH -> throw invalid("phone number '" + text + "' has an invalid length for " + numberRegion);
            default -> {
                // possible
            }
        }
        if (!UTIL.isValidNumber(number)) {
            throw invalid("phone number '" + text + "' is invalid for region " + numberRegion);
        }
        if (method.needsMobile()) {
            PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(number);
            if (type != PhoneNumberUtil.PhoneNumberType.MOBILE
                    && type != PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE) {
                throw VerificationException.invalid(VerificationError.UNSUPPORTED_NUMBER, "phone number '" + text
                        + "' is not mobile (" + type.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "); " + method
                        + " needs a mobile number, VOICE_CALL does not");
            }
        }
        return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static VerificationException invalid(String message) {
        return VerificationException.invalid(VerificationError.INVALID_NUMBER, message);
    }
}
