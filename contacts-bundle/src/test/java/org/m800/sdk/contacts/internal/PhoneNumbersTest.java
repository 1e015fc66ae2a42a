package org.m800.sdk.contacts.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;

import org.junit.Test;
import org.m800.sdk.phone.internal.PhoneNumbers;
import org.m800.sdk.core.ErrorCode;
import org.m800.sdk.core.M800Exception;

/** Normalisation of address-book numbers and the default region's configuration, without a server. */
public class PhoneNumbersTest {

    @Test
    public void commonFormatsBecomeE164() {
        String gb = "+447400123456";
        for (String input : new String[] {"07400 123456", "07400-123-456", "(07400) 123456", "+44 7400 123456",
            "0044 7400 123456", "+44 (0) 7400 123456", "tel:+44-7400-123456", " 07400123456 "}) {
            assertEquals(input, gb, PhoneNumbers.normalize(input, "GB"));
        }
        assertEquals("+14155550132", PhoneNumbers.normalize("(415) 555-0132", "US"));
        assertEquals("+14155550132", PhoneNumbers.normalize("+1 415.555.0132", null));
        assertEquals("+85291234567", PhoneNumbers.normalize("9123 4567", "HK"));
    }

    @Test
    public void badNumbersAreRefusedWithTheReason() {
        assertRefused("", "empty");
        assertRefused("07400 123456", "no default region", null);
        assertRefused("hello", "not a phone number", "GB");
        assertRefused("+999 1234 5678", "country code", "GB");
        assertRefused("0740", "too short", "GB");
        assertRefused("+44 7400 123456 789 0", "too long", "GB");
        assertRefused("9".repeat(70), "longer than 64", "GB");
    }

    private static void assertRefused(String input, String why) {
        assertRefused(input, why, "GB");
    }

    private static void assertRefused(String input, String why, String region) {
        try {
            PhoneNumbers.normalize(input, region);
            fail(input + " accepted");
        } catch (M800Exception e) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(input + ": " + e.getMessage(), e.getMessage().contains(why));
        }
    }

    @Test
    public void theDefaultRegionComesFromConfigurationAndABadOneIsIgnored() {
        ContactsFeature feature = new ContactsFeature();
        assertNull("no configuration, no system property", feature.defaultRegion());
        feature.configure(Map.of("defaultRegion", "gb"));
        assertEquals("GB", feature.defaultRegion());
        feature.configure(Map.of("defaultRegion", "XX"));
        assertNull("an unknown region is logged and ignored", feature.defaultRegion());
        feature.configure(Map.of());
        assertNull(feature.defaultRegion());
        try {
            PhoneNumbers.region("Narnia");
            fail("unknown region accepted");
        } catch (M800Exception e) {
            assertTrue(e.getMessage(), e.getMessage().contains("defaultRegion 'Narnia'"));
        }
    }
}
