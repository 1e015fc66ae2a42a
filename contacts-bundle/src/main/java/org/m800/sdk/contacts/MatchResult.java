package org.m800.sdk.contacts;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@link ContactManager#matchAddressBook}.
 *
 * @param matches the numbers that belong to users, in E.164 order (one entry per user when several
 *        users verified the same number)
 * @param invalid the entries that are not phone numbers (or not for the default region), each with
 *        the reason; they were not sent
 * @param numbersChecked how many distinct E.164 numbers were sent to the server (duplicates and
 *        different spellings of one number count once)
 */
public record MatchResult(List<AddressBookMatch> matches, Map<String, String> invalid, int numbersChecked) {

    public MatchResult {
        matches = List.copyOf(matches);
        invalid = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(invalid));
    }
}
