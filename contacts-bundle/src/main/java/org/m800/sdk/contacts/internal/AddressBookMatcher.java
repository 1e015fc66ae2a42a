package org.m800.sdk.contacts.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.m800.sdk.contacts.AddressBookMatch;
import org.m800.sdk.contacts.ContactManager;
import org.m800.sdk.contacts.MatchResult;
import org.m800.sdk.core.M800Exception;
import org.m800.sdk.phone.internal.PhoneNumbers;

/**
 * Address-book matching: normalises the numbers (invalid ones are reported, not sent), asks the server
 * in batches, and maps each match back to the address-book entries it came from.
 */
final class AddressBookMatcher {
    private final Requests requests;

    AddressBookMatcher(Requests requests) {
        this.requests = requests;
    }

    CompletableFuture<MatchResult> match(Collection<String> phoneNumbers, String defaultRegion) {
        if (phoneNumbers == null) {
            throw M800Exception.invalidArgument("phoneNumbers is required");
        }
        if (phoneNumbers.size() > ContactManager.MAX_MATCH_NUMBERS) {
            throw M800Exception.invalidArgument("an address-book batch holds at most " + ContactManager.MAX_MATCH_NUMBERS
                    + " numbers, got " + phoneNumbers.size() + "; split it");
        }
        String region = PhoneNumbers.region(defaultRegion);
        Map<String, List<String>> inputsByNumber = new TreeMap<>();
        Map<String, String> invalid = new LinkedHashMap<>();
        for (String input : phoneNumbers) {
            try {
                inputsByNumber.computeIfAbsent(PhoneNumbers.normalize(input, region), k -> new ArrayList<>()).add(input);
            } catch (M800Exception e) {
                invalid.put(String.valueOf(input), e.getMessage());
            }
        }
        List<String> numbers = new ArrayList<>(inputsByNumber.keySet());
        List<CompletableFuture<Map<String, Object>>> parts = new ArrayList<>();
        for (List<String> chunk : Requests.chunks(numbers, ContactManager.MATCH_REQUEST_SIZE)) {
            parts.add(requests.send("contact.match", Map.of("numbers", chunk)));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<AddressBookMatch> matches = new ArrayList<>();
            for (CompletableFuture<Map<String, Object>> f : parts) {
                matches.addAll(ContactsWire.matches(f.join(), inputsByNumber));
            }
            return new MatchResult(matches, invalid, numbers.size());
        });
    }
}
