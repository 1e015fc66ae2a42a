package org.m800.server.internal.verification;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Set;
import org.m800.server.VerificationSettings;
import org.m800.server.internal.wire.WireException;

/**
 * The server's own check of a phone number (it never trusts the client's): international form,
 * possible length, valid for its region, a region the application serves, and a mobile number for
 * the methods that need one. Thread-safe.
 */
final class PhoneNumbers {
    static final String FIELD = "phoneNumber";
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** @return the number in E.164 form */
    static String check(String input, VerificationSettings.Method method, Set<String> regions) throws WireException {
        String text = input.strip();
        if (!text.startsWith("+")) {
            throw invalid("phone number must be in international form, starting with + and the country code");
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(text, "ZZ");
        } catch (NumberParseException e) {
            throw invalid(switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> "phone number has an unknown country code";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "phone number is too short";
                case TOO_LONG -> "phone number is too long";
                default -> "phone number is not a phone number";
            });
        }
        String region = UTIL.getRegionCodeForNumber(number);
        switch (UTIL.isPossibleNumberWithReason(number)) {
            case TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY -> throw invalid("phone number is too short for country code +" + number.getCountryCode());
            case TOO_LONG -> throw invalid("phone number is too long for country code +" + number.getCountryCode());
            case INVALID_COUNTRY_CODE -> throw invalid("phone number has an unknown country code");
            case INVALID_LENGTH -> throw invalid("phone number has an invalid length for country code +"
                    + number.getCountryCode());
            default -> {
                // possible
            }
        }
        if (!UTIL.isValidNumber(number)) {
            throw invalid("phone number is not valid for region "
                    + UTIL.getRegionCodeForCountryCode(number.getCountryCode()));
        }
        if (!regions.isEmpty() && (region == null || !regions.contains(region))) {
            throw WireException.invalid(FIELD, "UNSUPPORTED_NUMBER", "phone numbers of region " + region
                    + " are not served by this application");
        }
        if (method != VerificationSettings.Method.VOICE_CALL) {
            PhoneNumberUtil.PhoneNumberType type = UTIL.getNumberType(number);
            if (type != PhoneNumberUtil.PhoneNumberType.MOBILE
                    && type != PhoneNumberUtil.PhoneNumberType.FIXED_LINE_OR_MOBILE) {
                throw WireException.invalid(FIELD, "UNSUPPORTED_NUMBER", "phone number is not a mobile number ("
                        + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "); " + method
                        + " needs one, VOICE_CALL does not");
            }
        }
        return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static WireException invalid(String message) {
        return WireException.invalid(FIELD, "INVALID_NUMBER", message);
    }
}
