package org.m800.sdk.phone.internal;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Locale;

import org.m800.sdk.core.M800Exception;

/**
 * The SDK's one phone-number normaliser, to E.164 with libphonenumber, shared by the contacts
 * (address-book matching) and verification bundles: each compiles this one source into its own
 * private package (see {@code phone-numbers/README.md}), next to its private copy of libphonenumber.
 * Errors are {@link M800Exception}s with INVALID_ARGUMENT that say what is wrong. Thread-safe.
 */
public final class PhoneNumbers {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MAX_INPUT = 64;

    private PhoneNumbers() {
    }

    /**
     * @param region an ISO 3166 region, or null
     * @return the region in capitals, or null
     * @throws M800Exception INVALID_ARGUMENT for a region libphonenumber does not know
     */
    public static String region(String region) {
        if (region == null || region.isBlank()) {
            return null;
        }
        String r = region.strip().toUpperCase(Locale.ROOT);
        if (!UTIL.getSupportedRegions().contains(r)) {
            throw M800Exception.invalidArgument("defaultRegion '" + region + "' is not an ISO 3166 region with a "
                    + "telephone numbering plan (such as GB, US, HK)");
        }
        return r;
    }

    /**
     * @param region a region in capitals (such as {@link #region} returns), or null for international
     *        numbers only
     * @return the number in E.164 form
     * @throws M800Exception INVALID_ARGUMENT saying why
     */
    public static String normalize(String input, String region) {
        if (input == null || input.isBlank()) {
            throw M800Exception.invalidArgument("phone number is empty");
        }
        if (input.length() > MAX_INPUT) {
            throw M800Exception.invalidArgument("phone number '" + input.substring(0, 20) + "...' is longer than "
                    + MAX_INPUT + " characters");
        }
        String text = input.strip();
        String r = region == null ? "ZZ" : region;
        if (r.equals("ZZ") && !text.startsWith("+") && !text.regionMatches(true, 0, "tel:+", 0, 5)) {
            throw M800Exception.invalidArgument("phone number '" + text + "' must be in international form (+ and "
                    + "the country code): no default region is configured");
        }
        PhoneNumber number;
        try {
            number = UTIL.parse(text, r);
        } catch (NumberParseException e) {
            throw M800Exception.invalidArgument(switch (e.getErrorType()) {
                case INVALID_COUNTRY_CODE -> "phone number '" + text + "' has an unknown country code";
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> "phone number '" + text + "' is too short";
                case TOO_LONG -> "phone number '" + text + "' is too long";
                default -> "'" + text + "' is not a phone number";
            });
        }
        if (!UTIL.isValidNumber(number)) {
            String numberRegion = UTIL.getRegionCodeForCountryCode(number.getCountryCode());
            throw M800Exception.invalidArgument(switch (UTIL.isPossibleNumberWithReason(number)) {
                case TOO_SHORT, IS_POSSIBLE_LOCAL_ONLY -> "phone number '" + text + "' is too short for " + numberRegion;
                case TOO_LONG -> "phone number '" + text + "' is too long for " + numberRegion;
                case INVALID_LENGTH -> "phone number '" + text + "' has an invalid length for " + numberRegion;
                case INVALID_COUNTRY_CODE -> "phone number '" + text + "' has an unknown country code";
                default -> "phone number '" + text + "' is invalid for region " + numberRegion;
            });
        }
        return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /**
     * @param e164 a number {@link #normalize} returned
     * @return its type, such as MOBILE or FIXED_LINE
     */
    public static PhoneNumberUtil.PhoneNumberType type(String e164) {
        try {
            return UTIL.getNumberType(UTIL.parse(e164, "ZZ"));
        } catch (NumberParseException e) {
            throw M800Exception.invalidArgument("'" + e164 + "' is not a phone number in E.164 form");
        }
    }
}
