package org.m800.sdk.contacts;

import java.util.List;

/**
 * A number of the address book that is the verified phone number of a user.
 *
 * @param phoneNumber the number in E.164 form
 * @param inputs the address-book entries (as given) that are this number
 * @param userId the user
 * @param username the user's login name
 * @param displayName the user's display name
 */
public record AddressBookMatch(String phoneNumber, List<String> inputs, String userId, String username,
        String displayName) {

    public AddressBookMatch {
        inputs = List.copyOf(inputs);
    }
}
